// Throughput (stacked bars: completed, failed) and failure rate (line) as inline SVG.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const W = 900, H = 180, LEFT = 40, RIGHT = 40, TOP = 10, BOTTOM = 22;

  function node(tag, attrs, text) {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function hhmm(iso) {
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function render(container, timeline) {
    container.replaceChildren();
    if (!timeline || timeline.error) {
      container.textContent = timeline ? timeline.error : "no data";
      return;
    }
    const pts = timeline.points;
    const svg = node("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "throughput and failure rate" });
    const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    const failed = (p) => p.failed + p.timed_out;
    const max = Math.max(1, ...pts.map((p) => p.completed + failed(p)));
    const step = plotW / Math.max(1, pts.length);
    const y = (v) => TOP + plotH - (v / max) * plotH;
    svg.appendChild(node("line", { x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH,
      stroke: "#999" }));
    svg.appendChild(node("text", { x: LEFT - 4, y: TOP + 8, "text-anchor": "end",
      "font-size": 10 }, String(max)));
    svg.appendChild(node("text", { x: W - RIGHT + 4, y: TOP + 8, "font-size": 10 }, "100%"));
    let line = "";
    let totalDone = 0, totalFailed = 0;
    pts.forEach((p, i) => {
      const x = LEFT + i * step, bw = Math.max(1, step - 1);
      totalDone += p.completed;
      totalFailed += failed(p);
      const ok = node("rect", { x, y: y(p.completed), width: bw,
        height: TOP + plotH - y(p.completed), fill: "#2e7d32" });
      ok.appendChild(node("title", {}, `${hhmm(p.t)}: ${p.completed} completed, ` +
        `${p.failed} failed, ${p.timed_out} timed out`));
      svg.appendChild(ok);
      const top = p.completed + failed(p);
      svg.appendChild(node("rect", { x, y: y(top), width: bw, height: y(p.completed) - y(top),
        fill: "#c62828" }));
      const finished = p.completed + failed(p);
      if (finished > 0) {
        const ry = TOP + plotH - (failed(p) / finished) * plotH;
        line += `${line ? "L" : "M"}${x + bw / 2},${ry}`;
        svg.appendChild(node("circle", { cx: x + bw / 2, cy: ry, r: 3, fill: "#ef6c00" }));
      }
      if (i % Math.max(1, Math.floor(pts.length / 6)) === 0) {
        svg.appendChild(node("text", { x, y: H - 6, "font-size": 10 }, hhmm(p.t)));
      }
    });
    if (line) {
      svg.appendChild(node("path", { d: line, fill: "none", stroke: "#ef6c00",
        "stroke-width": 2 }));
    }
    container.appendChild(svg);
    const legend = document.createElement("div");
    legend.className = "legend";
    legend.dataset.testid = "chart-legend";
    const mins = Math.round(timeline.bucket_seconds / 60);
    for (const [text, color] of [[`${totalDone} completed`, "#2e7d32"],
      [`${totalFailed} failed`, "#c62828"], ["failure rate", "#ef6c00"],
      [`${mins}-minute buckets`, "#666"]]) {
      const s = document.createElement("span");
      s.style.color = color;
      s.textContent = "■ " + text;
      legend.appendChild(s);
    }
    container.appendChild(legend);
  }

  window.SupajobsChart = { render };
})();
