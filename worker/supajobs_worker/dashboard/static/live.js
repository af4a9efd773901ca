// Keeps the page current from GET api/events (server-sent events: the server pushes one
// snapshot per interval). EventSource reconnects by itself when a stream ends; when the server
// refuses (401 after the session expired, or a proxy that drops streams) we ask api/overview
// once to tell which, then go to the login page or open a new stream after the interval.
"use strict";
window.supajobsLive = Object.freeze({
  follow(base, intervalMs, onSnapshot, onStatus) {
    let source = null;
    const open = () => {
      source = new EventSource(base + "/api/events", { withCredentials: true });
      source.addEventListener("open", () => onStatus("live"));
      source.addEventListener("overview", (e) => onSnapshot(JSON.parse(e.data)));
      source.addEventListener("error", () => {
        if (source.readyState !== EventSource.CLOSED) { onStatus("reconnecting…"); return; }
        onStatus("live view lost, retrying…");
        setTimeout(recover, intervalMs);
      });
    };
    const recover = async () => {
      try {
        const res = await fetch(base + "/api/overview", { credentials: "same-origin" });
        if (res.status === 401) { window.location.href = base + "/login"; return; }
        if (res.ok) onSnapshot(await res.json());
      } catch (e) {
        onStatus(`live view lost: ${e}`);
      }
      open();
    };
    open();
  },
});
