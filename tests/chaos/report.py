"""Recovery times and the printed / JSON report of a chaos run."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaos.config import ChaosConfig
from chaos.db import query

RESULTS = Path(__file__).resolve().parent / "results"
# Each held job's next attempt (by any worker): when the system took the work up again.
RETAKEN = ("select min(s.first) as first, max(s.first) as last from"
           " (select job_id, min(started_at) as first from jobs.job_attempts"
           "  where job_id = any(%s) and started_at > %s group by job_id) s")
FIRST_DONE = ("select min(completed_at) as first, max(completed_at) as last, count(*) as n"
              " from jobs.job_executions where job_id = any(%s) and status = 'completed'"
              " and completed_at > %s")
WORKER_DONE = ("select min(completed_at) as first from jobs.job_executions"
               " where worker_id = %s and status = 'completed' and completed_at > %s")
ANY_DONE = "select min(completed_at) as first from jobs.job_executions where completed_at > %s"
EXPIRED_BY_WORKER = ("select worker_id, count(*) as n from jobs.job_executions where status = 'failed'"
                     " and error_message like 'lease expired%%' group by worker_id")
RELAY_SENT = ("select min(created) as first from net._http_response"
              " where created > %s and status_code is not null")


def _seconds(later: Any, earlier: Any) -> float | None:
    return None if later is None else round((later - earlier).total_seconds(), 3)


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (no interpolation: with few samples, a real sample)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def recovery_times(url: str, kills: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kill: from the kill until the victim's jobs were taken up again (first / all), and
    until they were done. Recovery is the former: a re-run that lands on the next victim (the
    kill interval equals the lease) is that kill's to recover, and shows only in "done"."""
    out = []
    for kill in kills:
        args = [kill["held"], kill["at"]]
        retaken, done = query(url, RETAKEN, args)[0], query(url, FIRST_DONE, args)[0]
        out.append({"worker_id": kill["worker_id"], "at": kill["at"].isoformat(),
                    "held": len(kill["held"]), "completed_later": int(done["n"]),
                    "recovery_first_s": _seconds(retaken["first"], kill["at"]),
                    "recovery_all_s": _seconds(retaken["last"], kill["at"]),
                    "done_first_s": _seconds(done["first"], kill["at"]),
                    "done_all_s": _seconds(done["last"], kill["at"])})
    return out


def expired_leases(url: str, kills: list[dict[str, Any]]) -> dict[str, int]:
    """Attempts lost to an expired lease: by killed workers, or by workers that lived (whose
    result write failed while PostgreSQL restarted, so the job ran again)."""
    victims = {k["worker_id"] for k in kills}
    rows = query(url, EXPIRED_BY_WORKER)
    return {"killed_workers": sum(int(r["n"]) for r in rows if r["worker_id"] in victims),
            "surviving_workers": sum(int(r["n"]) for r in rows if r["worker_id"] not in victims)}


def restart_recovery(url: str, restart: dict[str, Any]) -> dict[str, Any]:
    """After the PostgreSQL restart: did each component come back, and when?"""
    ended = restart["ended"]
    workers = {w: _seconds(query(url, WORKER_DONE, [w, ended])[0]["first"], ended)
               for w in restart["live_workers"]}
    return {"restart_seconds": restart["seconds"],
            "first_completion_after_s": _seconds(query(url, ANY_DONE, [ended])[0]["first"], ended),
            "relay_first_send_after_s": _seconds(query(url, RELAY_SENT, [ended])[0]["first"], ended),
            "worker_first_completion_after_s": workers}


@dataclass
class ChaosResult:
    config: ChaosConfig
    finished: bool
    seconds: float
    checks: dict[str, Any]
    kills: list[dict[str, Any]]
    restart: dict[str, Any] | None
    balancer: dict[str, int]
    sweeper: dict[str, int]
    logs: dict[str, Any]
    pooler_restart: dict[str, Any] | None = None

    @property
    def problems(self) -> dict[str, Any]:
        return dict(self.checks["problems"])

    def summary(self, url: str) -> dict[str, Any]:
        first = [k["recovery_first_s"] for k in self.kills if k["recovery_first_s"] is not None]
        return {"config": self.config.as_json(), "finished": self.finished,
                "seconds": round(self.seconds, 2),
                "jobs_per_second": round(self.checks["jobs"] / self.seconds, 1),
                "recovery_p50_s": percentile(first, 50), "recovery_p95_s": percentile(first, 95),
                "kills": self.kills, "expired_leases": expired_leases(url, self.kills),
                "db_restart": restart_recovery(url, self.restart) if self.restart else None,
                "pooler_restart": (restart_recovery(url, self.pooler_restart)
                                   if self.pooler_restart else None),
                "balancer": self.balancer, "sweeper": self.sweeper, "logs": self.logs,
                **self.checks}

    def table(self, summary: dict[str, Any]) -> str:
        lines = ["| kill | worker | jobs held | taken up again after, first / all (s) |"
                 " done after, first / all (s) |", "| --- | --- | --- | --- | --- |"]
        for i, k in enumerate(self.kills, 1):
            lines.append(f"| {i} | {k['worker_id']} | {k['held']} | {k['recovery_first_s']} /"
                         f" {k['recovery_all_s']} | {k['done_first_s']} / {k['done_all_s']} |")
        lines.append(f"\nrecovery p50 {summary['recovery_p50_s']} s, p95 {summary['recovery_p95_s']}"
                     f" s; {summary['jobs']} jobs in {summary['seconds']} s; status"
                     f" {summary['stats']['status']}; re-executed effects {summary['reexecuted']};"
                     f" problems: {sorted(summary['problems']) or 'none'}")
        lines.append(f"attempts lost to expired leases: {summary['expired_leases']}")
        if summary["db_restart"]:
            lines.append(f"db restart: {json.dumps(summary['db_restart'])}")
        if summary["pooler_restart"]:
            lines.append(f"pgbouncer restart: {json.dumps(summary['pooler_restart'])}")
        return "\n".join(lines)


def write(summary: dict[str, Any], name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return path
