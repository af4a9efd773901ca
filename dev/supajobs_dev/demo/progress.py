"""What the demo prints: job state changes as they happen, and the closing summary."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

ACTIVE = ("waiting", "queued", "running", "retrying")
FIELDS = ("receipt_date", "total", "tax", "vendor", "invoice_number")
MARK = {"succeeded": "✓", "dead": "✗", "cancelled": "-", "running": "▶"}


def say(text: str = "") -> None:
    print(text, flush=True)


def describe(job: dict[str, Any]) -> str:
    """One line per job state; finished jobs say what they did."""
    status, result = str(job["status"]), job["result"] or {}
    text = f"  {MARK.get(status, '·')} #{job['id']:<3} {job['job_type']:<17} {status:<9}"
    if status == "dead":
        return f"{text} {str(job['last_error'])[:90]}"
    if status != "succeeded":
        return text
    kind = job["job_type"]
    if kind == "email_scan":
        return (f"{text} {result['messages']} mails, {result['documents']} files, "
                f"{len(result['receipts'])} new receipts")
    if kind == "receipt_process":
        if result.get("outcome") == "unreadable":
            return f"{text} {result['file']}: unreadable ({result['reason']})"
        found = ", ".join(str(result.get(k)) for k in ("date", "total", "vendor"))
        return f"{text} {result['file']}: {result['outcome']} [{found}]"
    if kind == "file_organize":
        filed = result.get("filed", [result])
        done = "; ".join(f"{f.get('action')} {f.get('path')}" for f in filed)
        return f"{text} {done or 'nothing left to file'}"
    if kind == "duplicate_cleanup":
        return (f"{text} {len(result['suggested'])} suspected duplicate(s) of "
                f"{result['checked']} flagged for a person (nothing removed)")
    if kind == "report_generate":
        return f"{text} {result['exported']} deals, ¥{result['total_yen']:,} → {result['csv']}"
    if kind == "backup_create":
        new = sum(t["objects_new"] for t in result.get("targets", []))
        return f"{text} {result['receipts']} receipts ({new} new files) → {result['path']}"
    return text


class Watcher:
    """Polls jobs.jobs and prints each job whenever its status changes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen: dict[int, str] = {}

    def _poll(self) -> list[dict[str, Any]]:
        with psycopg.connect(self.url, autocommit=True, row_factory=dict_row) as conn:
            rows = conn.execute("select id, job_type, status::text as status, result, last_error"
                                " from jobs.jobs order by id").fetchall()
        for job in rows:
            if self.seen.get(job["id"]) != job["status"]:
                self.seen[job["id"]] = job["status"]
                say(describe(job))
        return rows

    async def until_idle(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = await asyncio.to_thread(self._poll)
            if rows and not any(r["status"] in ACTIVE for r in rows):
                return
            await asyncio.sleep(0.25)
        raise TimeoutError(f"jobs still active after {timeout:g} s")


def summary(url: str, store_dir: Path, results: dict[str, Any]) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        receipts = conn.execute("select * from receipts.receipts").fetchall()
        suspected = conn.execute("select count(*) as n from receipts.duplicate_suggestions"
                                 ).fetchone()
        jobs = conn.execute("select status::text as status, count(*) as n from jobs.jobs"
                            " group by 1 order by 1").fetchall()
    read = [r for r in receipts if r["status"] in ("read", "needs_review", "filed", "duplicate")]
    files = [p for p in store_dir.rglob("*") if p.is_file()]
    return {
        "jobs": {j["status"]: j["n"] for j in jobs},
        "receipts read": f"{len(read)} of {len(receipts)}",
        "fields found": f"{sum(r[f] is not None for r in read for f in FIELDS)} of "
                        f"{len(FIELDS) * len(read)}",
        "needs review": sum(1 for r in receipts if r["needs_review"]),
        "unreadable": sum(1 for r in receipts if r["status"] == "unreadable"),
        "files written": len(files),
        "suspected duplicates": f"{suspected['n'] if suspected else 0} (decide with "
                                "`supajobs receipts duplicates`)",
        "report": results.get("report_generate", {}).get("csv"),
        "summary page": results.get("report_generate", {}).get("html"),
        "backup": results.get("backup_create", {}).get("path"),
    }
