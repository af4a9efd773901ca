"""Progress of long jobs against a real database: jobs.report_progress's rules, a real
worker writing its handlers' reports (threads and the event loop alike) at most about once a
second, get_job and jobs.running_jobs reading them, and `supajobs jobs watch JOB_ID`."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import threading
import time
from typing import Any

import psycopg
import pytest

from supajobs import AsyncJobsClient
from supajobs.cli.main import main
from supajobs.config import direct_transport
from supajobs.transport.base import Transport
from supajobs_worker.config import WorkerConfig
from supajobs_worker.registry import JobContext, Registry
from supajobs_worker.service import WorkerService
from support.rpc import one, rpc, service_connection


def claimed(conn: psycopg.Connection[Any], worker: str = "w") -> dict[str, Any]:
    job = one(conn, "enqueue", job_type="file_organize")
    taken = one(conn, "claim", worker_id=worker, batch_size=1)
    assert taken["id"] == job["id"]
    return taken


def test_only_the_reporting_workers_running_attempt_is_updated(svc: psycopg.Connection[Any]) -> None:
    job = claimed(svc)
    update = {"job_id": job["id"], "attempt": 1, "fraction": 0.4, "current": 4, "total": 10,
              "message": "page 4"}
    assert rpc(svc, "report_progress", worker_id="other", updates=[update])[0] == {
        "report_progress": 0}
    stale = {**update, "attempt": 2}
    assert rpc(svc, "report_progress", worker_id="w", updates=[stale, update])[0] == {
        "report_progress": 1}
    progress = one(svc, "get_job", job_id=job["id"])["progress"]
    assert {k: progress[k] for k in ("attempt", "fraction", "current", "total", "message")} == {
        "attempt": 1, "fraction": 0.4, "current": 4, "total": 10, "message": "page 4"}
    (running,) = rpc(svc, "running_jobs")
    assert (running["id"], running["attempt"], running["worker_id"]) == (job["id"], 1, "w")
    assert running["progress"]["message"] == "page 4"
    one(svc, "complete", worker_id="w", job_id=job["id"])
    assert rpc(svc, "report_progress", worker_id="w", updates=[update])[0] == {
        "report_progress": 0}  # a finished job keeps its last report, unchanged
    assert rpc(svc, "running_jobs") == []


@pytest.mark.parametrize(("updates", "problem"), [
    ({"job_id": 1}, "updates must be a JSON array"),
    ([{"job_id": 1}], "updates[0]: job_id and attempt are required numbers"),
    ([{"job_id": 1, "attempt": 1}, {"job_id": 2, "attempt": 1, "fraction": 2}],
     "updates[1]: fraction must be from 0 to 1"),
    ([{"job_id": 1, "attempt": 1, "current": -3}], "current must be a number >= 0"),
    ([{"job_id": 1, "attempt": 1, "total": 0}], "total must be a number > 0"),
    ([{"job_id": 1, "attempt": 1, "message": "x" * 501}], "at most 500 characters"),
    ([{"job_id": 1, "attempt": 1}, 7], "updates[1]: must be an object"),
])
def test_bad_reports_are_refused_naming_the_problem(svc: psycopg.Connection[Any],
                                                    updates: Any, problem: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "report_progress", worker_id="w", updates=updates)
    assert err.value.sqlstate == "SJ105" and problem in str(err.value)


def test_a_report_without_a_worker_id_is_refused(svc: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.Error) as err:
        rpc(svc, "report_progress", worker_id="", updates=[])
    assert err.value.sqlstate == "SJ105" and "worker_id must be a string" in str(err.value)


def test_anon_and_authenticated_cannot_report_or_read_progress(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        for role in ("anon", "authenticated"):
            conn.execute(f"set role {role}")
            for call in ("select jobs.report_progress('w', '[]')", "select jobs.running_jobs()"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(call)
            conn.execute("reset role")


def worker_registry(gate: threading.Event) -> Registry:
    registry = Registry()

    @registry.handler("file_organize")
    def organize(payload: Any, ctx: JobContext) -> None:  # a thread, as sync handlers run
        for n in range(1, 51):  # fast reports: only the latest reaches the database
            ctx.progress(n, f"file {n}", total=100)
        gate.wait(10)
        ctx.progress(1.0, "done")

    return registry


class Counting:
    """A transport that counts the calls made through it."""

    name = "counting"

    def __init__(self, inner: Transport) -> None:
        self.inner, self.calls = inner, list[str]()

    async def call(self, fn: str, args: Any) -> Any:
        self.calls.append(fn)
        return await self.inner.call(fn, args)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_a_real_worker_writes_the_latest_report_about_once_a_second(db_url: str) -> None:
    gate = threading.Event()
    with service_connection(db_url) as conn:
        job_id = one(conn, "enqueue", job_type="file_organize")["id"]

    async def run() -> tuple[dict[str, Any], int]:
        transport = Counting(direct_transport(db_url))
        calls = transport.calls
        config = WorkerConfig(database_url=db_url, worker_id="progress-worker")
        service = WorkerService(config, worker_registry(gate), mode="listen",
                                client=AsyncJobsClient(transport))
        await service.start()
        reader = AsyncJobsClient(direct_transport(db_url))
        try:
            deadline = time.monotonic() + 10
            while (job := await reader.get_job(job_id)).current_progress is None:
                assert time.monotonic() < deadline, "no progress written"
                await asyncio.sleep(0.1)
            seen = job.current_progress
            assert seen is not None and seen.message == "file 50" and seen.fraction == 0.5
            writes = calls.count("report_progress")
            gate.set()
            while (await reader.get_job(job_id)).status != "succeeded":
                await asyncio.sleep(0.05)
        finally:
            await service.stop()
            await reader.aclose()
        return {"writes_for_50_reports": writes}, calls.count("report_progress")

    first, total = asyncio.run(run())
    assert first["writes_for_50_reports"] == 1, first
    assert total <= 2  # the last report may be written, or dropped when the job ended first


class Watched(io.StringIO):
    """stdout for the CLI that tells when the watch printed its first line."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    def write(self, text: str) -> int:
        self.started.set()
        return super().write(text)


def finish_later(url: str, job_id: int, out: Watched, *, fail: bool = False) -> threading.Thread:
    def finish() -> None:
        out.started.wait(20)
        time.sleep(0.3)
        with service_connection(url) as conn:
            rpc(conn, "report_progress", worker_id="w", updates=[
                {"job_id": job_id, "attempt": 1, "current": 10, "total": 10, "message": "last"}])
            time.sleep(0.4)
            if fail:
                rpc(conn, "fail", worker_id="w", job_id=job_id, error="freee said 400",
                    retryable=False)
            else:
                rpc(conn, "complete", worker_id="w", job_id=job_id)

    thread = threading.Thread(target=finish)
    thread.start()
    return thread


def test_jobs_watch_follows_one_job_until_it_ends(monkeypatch: pytest.MonkeyPatch,
                                                  db_url: str) -> None:
    with service_connection(db_url) as conn:
        job = claimed(conn)
        rpc(conn, "report_progress", worker_id="w", updates=[
            {"job_id": job["id"], "attempt": 1, "current": 4, "total": 10, "message": "page 4"}])
    stdout = Watched()
    monkeypatch.setattr(sys, "stdout", stdout)
    thread = finish_later(db_url, job["id"], stdout)
    code = main(["--db-url", db_url, "jobs", "watch", str(job["id"]), "--interval", "0.1"])
    thread.join()
    out = stdout.getvalue().splitlines()
    assert code == 0
    assert f"job {job['id']} running (attempt 1): 40 % (4/10) page 4" in out[0]
    assert any("100 % (10/10) last" in line for line in out)
    assert out[-1].endswith(f"job {job['id']} succeeded")


def test_jobs_watch_json_lines_and_exit_codes(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              db_url: str) -> None:
    with service_connection(db_url) as conn:
        job = claimed(conn)
        queued = one(conn, "enqueue", job_type="email_scan")
    stdout = Watched()
    monkeypatch.setattr(sys, "stdout", stdout)
    thread = finish_later(db_url, job["id"], stdout, fail=True)
    code = main(["--db-url", db_url, "--json", "jobs", "watch", str(job["id"]),
                 "--interval", "0.1"])
    thread.join()
    monkeypatch.undo()
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert code == 8
    assert lines[0]["status"] == "running" and lines[0]["progress"] is None
    assert lines[-1]["status"] == "dead" and lines[-1]["last_error"] == "freee said 400"
    assert {"fraction": 1.0, "current": 10, "total": 10, "message": "last"} in [
        line["progress"] for line in lines]
    code = main(["--db-url", db_url, "jobs", "watch", str(queued["id"]), "--interval", "0.1",
                 "--timeout", "0.3"])
    assert code == 7 and "still queued after 0.3 s" in capsys.readouterr().err
    assert main(["--db-url", db_url, "jobs", "watch", "999999"]) == 3
    assert main(["--db-url", db_url, "jobs", "watch", "--timeout", "3"]) == 2
    assert "--timeout needs a JOB_ID" in capsys.readouterr().err
    assert main(["--db-url", db_url, "jobs", "watch", str(queued["id"]), "--interval", "0"]) == 2
    assert "--interval and --timeout must be positive" in capsys.readouterr().err
