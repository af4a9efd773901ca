// Fills the dashboard from the live stream (live.js: server-sent events from api/events);
// buttons POST actions with the session's CSRF token and then read api/overview once to show
// their effect at once. Data is inserted as text only (never as HTML).
"use strict";
(function () {
  const body = document.body;
  const BASE = body.dataset.base, CSRF = body.dataset.csrf;
  const POLL_MS = Number(body.dataset.pollMs) || 5000;

  const { el, when } = window.supajobsDom;
  const pct = (r) => (r === null || r === undefined ? "–" : `${Math.round(r * 100)}%`);
  const secs = (s) => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min`
    : `${(s / 3600).toFixed(1)} h`);
  const ms = (v) => (v === null || v === undefined ? "–" : v < 1000 ? `${Math.round(v)} ms`
    : `${(v / 1000).toFixed(1)} s`);

  function fill(id, rows, makeRow) {
    const tbody = document.querySelector(`#${id} tbody`);
    tbody.replaceChildren();
    if (rows && rows.error) {
      tbody.append(el("tr", {}, el("td", { class: "bad", colSpan: 9 }, rows.error)));
      return;
    }
    if (!rows.length) tbody.append(el("tr", {}, el("td", { class: "muted", colSpan: 9 }, "none")));
    for (const r of rows) tbody.append(makeRow(r));
  }

  function bar(fraction) {  // no value: an indeterminate bar (the job has not said how far)
    const p = el("progress", { max: 1 });
    if (fraction !== null && fraction !== undefined) p.value = fraction;
    return p;
  }

  function button(label, testid, onClick) {
    const b = el("button", { "data-testid": testid }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  async function act(path, payload) {
    const res = await fetch(BASE + path, { method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": CSRF },
      body: JSON.stringify(payload || {}) });
    const data = await res.json().catch(() => ({}));
    document.getElementById("status").textContent = res.ok ? "done" : `failed: ${data.error}`;
    await refresh();
  }

  function renderQueue(q) {
    const table = document.getElementById("queue");
    const [thead, tbody, tfoot] = [table.tHead, table.tBodies[0], table.tFoot];
    [thead, tbody, tfoot].forEach((p) => p.replaceChildren());
    if (q.error) { tbody.append(el("tr", {}, el("td", { class: "bad" }, q.error))); return; }
    thead.append(el("tr", {}, el("th", {}, "Job type"),
      ...q.statuses.map((s) => el("th", { class: "num" }, s)), el("th", { class: "num" }, "total"),
      el("th", { class: "num" }, "failure rate 1 h"), el("th", {}, "breaker")));
    for (const r of q.rows) {
      tbody.append(el("tr", { "data-testid": `queue-${r.job_type}` }, el("td", {}, r.job_type),
        ...q.statuses.map((s) => el("td", { class: "num", "data-testid": `count-${r.job_type}-${s}` },
          r.counts[s])),
        el("td", { class: "num" }, r.total),
        el("td", { class: "num" + (r.failure_rate_1h > 0.6 ? " bad" : "") }, pct(r.failure_rate_1h)),
        el("td", { class: r.breaker_open ? "bad" : "ok" }, r.breaker_open ? "open" : "closed")));
    }
    tfoot.append(el("tr", {}, el("td", {}, "all"),
      ...q.statuses.map((s) => el("td", { class: "num", "data-testid": `total-${s}` }, q.totals[s])),
      el("td", { class: "num" }, Object.values(q.totals).reduce((a, b) => a + b, 0)),
      el("td", {}, ""), el("td", {}, "")));
    const o = q.oldest_due;
    document.getElementById("oldest-due").textContent =
      o ? `${o.job_type}, due ${secs(o.age_seconds)} ago` : "nothing due";
    document.getElementById("failure-rate").textContent = pct(q.failure_rate_1h);
  }

  function render(d) {
    renderQueue(d.queue);
    window.SupajobsChart.render(document.getElementById("chart"), d.timeline);
    fill("dead", d.dead_letters, (r) => el("tr", { "data-testid": `dead-${r.id}` },
      el("td", {}, r.id), el("td", {}, r.job_type), el("td", { class: "num" }, r.attempts),
      el("td", {}, when(r.died_at)), el("td", { class: "error-cell", title: r.last_error || "" },
        r.last_error), el("td", {}, button("Requeue", `requeue-${r.id}`,
        () => act(`/api/dead-letters/${r.id}/requeue`)))));
    fill("breakers", d.breakers.error ? d.breakers : d.breakers.open, (b) => el("tr",
      { "data-testid": `breaker-${b.scope}` }, el("td", {}, b.scope), el("td", {}, b.reason),
      el("td", {}, when(b.opened_at)),
      el("td", {}, button("Reset", `reset-${b.scope}`,
        () => act("/api/breakers/reset", { scope: b.scope })))));
    fill("rate-limits", d.rate_limits, (r) => el("tr",
      { "data-testid": `limit-${r.job_type}-${r.rate_key}-${r.limit}` },
      el("td", {}, r.job_type), el("td", {}, r.rate_key || "(no key)"), el("td", {}, r.limit),
      el("td", { class: "num" }, r.used),
      el("td", { class: "num" + (r.remaining === 0 ? " bad" : "") }, r.remaining),
      el("td", { class: r.paused_until ? "bad" : "", title: r.pause_reason || "" },
        r.paused_until ? when(r.paused_until) : "–")));
    fill("workers", d.workers, (w) => el("tr", {}, el("td", {}, w.worker_id),
      el("td", { class: w.accepting ? "" : "bad" }, w.accepting ? w.mode : `${w.mode} (paused)`),
      el("td", { class: "num" }, `${w.in_flight}/${w.capacity}`),
      el("td", { class: "num" }, w.rss_bytes ? `${Math.round(w.rss_bytes / 1048576)} MiB` : "–"),
      el("td", { class: "num" }, w.cpu_percent === null ? "–" : `${w.cpu_percent}%`),
      el("td", {}, when(w.last_seen_at))));
    fill("schedules", d.schedules, (s) => el("tr", { "data-testid": `schedule-${s.name}` },
      el("td", {}, s.name), el("td", {}, s.cron_expression), el("td", {}, s.timezone),
      el("td", { "data-testid": `next-${s.name}` },
        s.enabled ? (s.next_fire ? s.next_fire.replace("T", " ") : s.next_fire_error) : "paused"),
      el("td", { class: s.last_outcome && s.last_outcome.status !== "completed" ? "bad" : "" },
        s.last_outcome ? `${s.last_outcome.status} (${ms(s.last_outcome.duration_ms)})` : "never")));
    fill("running", d.running, (r) => el("tr", { "data-testid": `running-${r.id}` },
      el("td", {}, r.id), el("td", {}, r.job_type), el("td", { class: "num" }, r.attempt),
      el("td", {}, r.worker_id), el("td", {}, when(r.started_at)),
      el("td", { class: "progress-cell" }, bar(r.fraction),
        el("span", { "data-testid": `progress-${r.id}` }, r.progress)),
      el("td", {}, when(r.updated_at))));
    fill("executions", d.executions, (x) => el("tr", {}, el("td", {}, x.job_id),
      el("td", {}, x.job_type), el("td", { class: "num" }, x.attempt),
      el("td", { class: x.status === "completed" ? "ok" : x.status === "running" ? "muted" : "bad" },
        x.status),
      el("td", {}, when(x.started_at)), el("td", { class: "num" }, ms(x.duration_ms)),
      el("td", { class: "error-cell", title: x.error || "" }, x.error)));
    document.getElementById("updated").textContent = `updated ${when(d.generated_at)}`;
  }

  async function refresh() {
    try {
      const res = await fetch(BASE + "/api/overview", { credentials: "same-origin" });
      if (res.status === 401) { window.location.href = BASE + "/login"; return; }
      render(await res.json());
    } catch (e) {
      document.getElementById("status").textContent = `refresh failed: ${e}`;
    }
  }

  document.getElementById("purge-dead").addEventListener("click", () => {
    if (window.confirm("Delete every dead letter for good?")) act("/api/dead-letters/purge");
  });
  const live = document.getElementById("live");
  window.supajobsLive.follow(BASE, POLL_MS, render, (text) => { live.textContent = text; });
})();
