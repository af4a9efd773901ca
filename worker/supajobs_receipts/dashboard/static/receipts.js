// The receipts page: search (GET search), a receipt's history (GET history/<id>), duplicates
// waiting for a person (GET duplicates) and their decisions (POST duplicates/<id>/decide with
// the session's CSRF token). Data is inserted as text only (never as HTML).
"use strict";
(function () {
  const body = document.body;
  const BASE = body.dataset.base, API = body.dataset.api, CSRF = body.dataset.csrf;

  const { el, when } = window.supajobsDom;
  const yen = (v) => (v === null || v === undefined ? "–" : `¥${Number(v).toLocaleString("ja-JP")}`);
  const text = (v) => (v === null || v === undefined || v === "" ? "–" : v);
  const say = (id, message, bad) => {
    const p = document.getElementById(id);
    p.textContent = message;
    p.className = bad ? "bad" : "ok";
  };

  async function call(path, options) {
    const res = await fetch(API + path, { credentials: "same-origin", ...(options || {}) });
    if (res.status === 401) { window.location.href = BASE + "/login"; throw new Error("signed out"); }
    const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
    return { ok: res.ok, status: res.status, data };
  }

  function emptyRow(tbody, message) {
    tbody.append(el("tr", {}, el("td", { class: "muted", colSpan: 10 }, message)));
  }

  async function search(event) {
    if (event) event.preventDefault();
    const query = new URLSearchParams();
    for (const [k, v] of new FormData(document.getElementById("search"))) {
      if (String(v).trim() !== "") query.append(k, String(v).trim());
    }
    const { ok, data } = await call(`/search?${query}`);
    const tbody = document.querySelector("#results tbody");
    tbody.replaceChildren();
    document.getElementById("result-count").textContent = "";
    if (!ok) { say("search-message", data.error, true); return; }
    document.getElementById("search-message").textContent = "";
    if (!data.receipts.length) emptyRow(tbody, "no receipt matches");
    for (const r of data.receipts) {
      const open = () => showHistory(r.id);
      const row = el("tr", { "data-testid": `receipt-${r.id}`, title: r.stored_path },
        el("td", {}, text(r.date)), el("td", { class: "num" }, yen(r.amount)),
        el("td", {}, text(r.vendor)), el("td", {}, text(r.registration_number)),
        el("td", { class: r.status === "deleted" ? "bad" : r.status === "duplicate" ? "muted" : "" },
          r.status), el("td", {}, r.file),
        el("td", {}, el("button", { type: "button", "data-testid": `history-${r.id}`,
          onclick: (e) => { e.stopPropagation(); open(); } }, "History")));
      row.addEventListener("click", open);
      tbody.append(row);
    }
    document.getElementById("result-count").textContent = `${data.receipts.length} receipt(s)`
      + (data.limited ? " (the limit; narrow the search)" : "");
  }

  async function showHistory(id) {
    const panel = document.getElementById("history-panel");
    const tbody = document.querySelector("#history tbody");
    const { ok, data } = await call(`/history/${encodeURIComponent(id)}`);
    tbody.replaceChildren();
    panel.hidden = false;
    if (!ok) { document.getElementById("history-title").textContent = id; emptyRow(tbody, data.error); return; }
    const r = data.receipt;
    document.getElementById("history-title").textContent = `${r.file} (${text(r.date)}, ${yen(r.amount)})`;
    for (const v of data.versions) {
      tbody.append(el("tr", { "data-testid": `version-${v.version}` },
        el("td", { class: "num" }, v.version), el("td", {}, when(v.changed_at)),
        el("td", {}, v.changed_by), el("td", {}, v.change_reason), el("td", {}, v.status),
        el("td", {}, text(v.date)), el("td", { class: "num" }, yen(v.amount)),
        el("td", {}, text(v.vendor)), el("td", {}, text(v.registration_number)),
        el("td", { title: v.file }, v.file.split("/").pop())));
    }
    panel.scrollIntoView({ block: "nearest" });
  }

  function side(label, r) {
    return [label, r.date, yen(r.amount), r.vendor, r.file, when(r.received_at)];
  }

  function pairCard(p) {
    const fields = ["", "取引年月日", "取引金額", "取引先", "File", "Received"];
    const rows = [side("This receipt", p.receipt), side("Kept receipt", p.kept)];
    const table = el("table", {}, el("thead", {}, el("tr", {}, ...fields.map((f) => el("th", {}, f)))),
      el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, text(c)))))));
    const note = el("input", { type: "text", maxLength: 1000, placeholder: "note (optional): who and why",
      "data-testid": `note-${p.suggestion_id}` });
    const decide = (decision) => async () => {
      const { ok, data } = await call(`/duplicates/${p.suggestion_id}/decide`, { method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": CSRF },
        body: JSON.stringify({ decision, note: note.value }) });
      say("dup-message", ok ? `suggestion ${p.suggestion_id} ${data.decision} by ${data.decided_by}`
        : `suggestion ${p.suggestion_id}: ${data.error}`, !ok);
      await Promise.all([loadPending(), search()]);
    };
    return el("div", { class: "pair", "data-testid": `pair-${p.suggestion_id}` },
      el("p", {}, `Suggestion ${p.suggestion_id}: ${p.reason} (${when(p.suggested_at)})`), table,
      el("div", { class: "decide" }, note,
        el("button", { type: "button", "data-testid": `confirm-${p.suggestion_id}`,
          onclick: decide("confirmed") }, "Confirm duplicate"),
        el("button", { type: "button", "data-testid": `reject-${p.suggestion_id}`,
          onclick: decide("rejected") }, "Not a duplicate")));
  }

  async function loadPending() {
    const box = document.getElementById("duplicates");
    const { ok, data } = await call("/duplicates");
    box.replaceChildren();
    if (!ok) { box.append(el("p", { class: "bad" }, data.error)); return; }
    if (!data.pending.length) box.append(el("p", { class: "muted", "data-testid": "no-pending" }, "nothing to review"));
    for (const p of data.pending) box.append(pairCard(p));
  }

  document.getElementById("search").addEventListener("submit", search);
  document.getElementById("history-close").addEventListener("click", () => {
    document.getElementById("history-panel").hidden = true;
  });
  Promise.all([search(), loadPending()]).catch((e) => say("status", `failed: ${e}`, true));
})();
