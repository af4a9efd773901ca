// The receipts page's freee review list: GET freee/pending, and a person's decision on each
// receipt (POST freee/<receipt id>/decide with the session's CSRF token): attach it to one of
// the candidate deals (best first) or another deal id, or "not in freee". Data is inserted as
// text only (never as HTML).
"use strict";
(function () {
  const body = document.body;
  const BASE = body.dataset.base, API = body.dataset.api, CSRF = body.dataset.csrf;
  const { el, when } = window.supajobsDom;
  const yen = (v) => (v === null || v === undefined ? "–" : `¥${Number(v).toLocaleString("ja-JP")}`);
  const text = (v) => (v === null || v === undefined || v === "" ? "–" : v);
  const message = document.getElementById("freee-message");
  const say = (line, bad) => { message.textContent = line; message.className = bad ? "bad" : "ok"; };

  async function call(path, options) {
    const res = await fetch(API + path, { credentials: "same-origin", ...(options || {}) });
    if (res.status === 401) { window.location.href = BASE + "/login"; throw new Error("signed out"); }
    const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
    return { ok: res.ok, data };
  }

  async function decide(p, choice, note) {
    const { ok, data } = await call(`/freee/${encodeURIComponent(p.receipt_id)}/decide`, {
      method: "POST", headers: { "content-type": "application/json", "x-csrf-token": CSRF },
      body: JSON.stringify({ ...choice, note: note.value }) });
    const what = `${p.file} (${text(p.date)}, ${yen(p.amount)})`;
    if (!ok) { say(`${what}: ${data.error}`, true); return; }
    say(data.status === "confirmed"
      ? `${what}: to be attached to deal ${data.deal_id} (freee_sync job ${data.attach_job}) by ${data.decided_by}`
      : `${what}: not in freee, by ${data.decided_by}`, false);
    await load();
  }

  function decideCell(p) {
    const note = el("input", { type: "text", maxLength: 1000, placeholder: "note (optional)",
      "data-testid": `freee-note-${p.receipt_id}` });
    const other = el("input", { type: "number", min: 1, step: 1, placeholder: "deal id",
      "data-testid": `freee-deal-${p.receipt_id}` });
    const attach = (id) => el("button", { type: "button", "data-testid": `attach-${p.receipt_id}-${id}`,
      onclick: () => decide(p, { decision: "confirm", deal_id: id }, note) }, `attach to deal ${id}`);
    const typed = () => {
      const id = other.value.trim();
      // Sent as typed when it is not a whole number, so the route names what is wrong.
      decide(p, { decision: "confirm", deal_id: /^\d+$/.test(id) ? Number(id) : id || null }, note);
    };
    return el("td", { class: "decide" }, ...p.candidates.map(attach), other,
      el("button", { type: "button", "data-testid": `attach-other-${p.receipt_id}`, onclick: typed },
        "attach to this deal"), note,
      el("button", { type: "button", "data-testid": `not-in-freee-${p.receipt_id}`,
        onclick: () => decide(p, { decision: "not_in_freee" }, note) }, "not in freee"));
  }

  async function load() {
    const tbody = document.querySelector("#freee-pending tbody");
    const { ok, data } = await call("/freee/pending");
    tbody.replaceChildren();
    if (!ok) { say(data.error, true); return; }
    if (!data.pending.length) {
      tbody.append(el("tr", {}, el("td", { class: "muted", colSpan: 8, "data-testid": "freee-none" },
        "nothing to place")));
    }
    for (const p of data.pending) {
      tbody.append(el("tr", { "data-testid": `freee-${p.receipt_id}`, title: `matched ${when(p.matched_at)}` },
        el("td", {}, text(p.date)), el("td", { class: "num" }, yen(p.amount)),
        el("td", {}, text(p.vendor)), el("td", {}, text(p.file)), el("td", {}, p.status),
        el("td", { class: "num" }, p.score === null ? "–" : Number(p.score).toFixed(2)),
        el("td", {}, p.reason), decideCell(p)));
    }
  }

  load().catch((e) => say(`freee review list failed: ${e}`, true));
})();
