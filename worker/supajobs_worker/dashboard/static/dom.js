// Shared by the dashboard and its extensions' pages: DOM building with text only (never HTML),
// so data from the database cannot become markup anywhere.
"use strict";
window.supajobsDom = Object.freeze({
  el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") n.className = v;
      else if (k.startsWith("data-")) n.setAttribute(k, v);
      else n[k] = v;
    }
    for (const c of children) {
      n.append(c instanceof Node ? c : c === null || c === undefined ? "" : String(c));
    }
    return n;
  },
  when: (iso) => (iso ? new Date(iso).toLocaleString() : "–"),
});
