"""The chaos checks can fail: a lost effect, an attempt that ran twice, a job left running and
an extra job are each reported (so a green chaos run means something)."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from chaos.checks import verify
from chaos.config import ChaosConfig
from chaos.db import prepare, query

ITEMS = [{"job_type": "chaos_effect", "payload": {"sleep_ms": 0}} for _ in range(4)]


def test_checks_report_loss_doubling_and_stuck_jobs(db_url: str) -> None:
    prepare(db_url, "http://127.0.0.1:9/webhook", "checks-secret-0123456789")
    ids = [r["id"] for r in query(db_url, "select id from jobs.enqueue_batch(%s::jsonb)",
                                  [Jsonb(ITEMS)])]
    claimed = query(db_url, "select id from jobs.claim('w', null, 3, 60) order by id")
    assert [r["id"] for r in claimed] == ids[:3]
    for job_id in ids[:2]:
        query(db_url, "select jobs.complete('w', %s, null)", [job_id])
    # ids[0]: effect present once (fine); ids[1]: effect lost; ids[2]: still running, and its
    # one attempt wrote the effect twice; ids[3]: queued, never run; 4 jobs where 3 expected
    query(db_url, "insert into chaos_effects values (%s, 1, '{1}', '{w}'),"
                  " (%s, 2, '{1,1}', '{w,w}')", [ids[0], ids[2]])
    problems = verify(db_url, ChaosConfig(jobs=3, poison_every=0))["problems"]
    assert set(problems) == {"job_count", "unfinished", "effect_missing",
                             "effect_same_attempt_twice", "effect_more_than_attempts",
                             "single_attempt_effect_not_once", "history_still_running"}
    assert problems["effect_missing"][0] == {"id": str(ids[1])}
