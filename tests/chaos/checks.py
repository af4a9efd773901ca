"""After a chaos run: was any job lost, doubled, or recorded inconsistently?

Doubled means one attempt ran the effect twice (an attempt number repeated in the effect
row), or more effects than attempts. A job retried after a kill may legitimately run its
(idempotent) effect again: that is at-least-once delivery, counted as `reexecuted`.
"""

from __future__ import annotations

from typing import Any

from chaos.config import ChaosConfig
from chaos.db import query

POISON = "coalesce((j.payload->>'poison')::boolean, false)"
# (problem name, query returning offending rows): each must return nothing.
VIOLATIONS = {
    "unfinished": "select id, status::text from jobs.jobs where status not in ('succeeded', 'dead')",
    "dead_not_injected": f"select id, last_error from jobs.jobs j where status = 'dead' and not {POISON}",
    "poison_not_dead": f"select id, status::text, last_error from jobs.jobs j where {POISON}"
                       " and (status <> 'dead' or last_error <> 'NonRetryableError: injected poison')",
    "effect_missing": "select j.id from jobs.jobs j left join chaos_effects e on e.job_id = j.id"
                      " where j.status = 'succeeded' and e.job_id is null",
    "effect_stray": f"select e.job_id from chaos_effects e left join jobs.jobs j on j.id = e.job_id"
                    f" where j.id is null or {POISON}",
    "effect_same_attempt_twice": "select job_id, attempts from chaos_effects e where"
                                 " cardinality(attempts) <> (select count(distinct a) from unnest(e.attempts) a)",
    "effect_more_than_attempts": "select e.job_id, e.n, j.attempts from chaos_effects e"
                                 " join jobs.jobs j on j.id = e.job_id where e.n > j.attempts",
    "single_attempt_effect_not_once": "select e.job_id, e.n from chaos_effects e join jobs.jobs j"
                                      " on j.id = e.job_id where j.attempts = 1 and e.n <> 1",
    "completed_attempts_not_one": "select j.id, j.status::text, count(x.id) filter (where x.status = 'completed') as c"
                                  " from jobs.jobs j left join jobs.job_executions x on x.job_id = j.id"
                                  " group by j.id having count(x.id) filter (where x.status = 'completed')"
                                  " <> case when j.status = 'succeeded' then 1 else 0 end",
    "history_not_one_row_per_attempt": "select j.id, j.attempts, count(x.id) as rows from jobs.jobs j"
                                       " left join jobs.job_attempts x on x.job_id = j.id group by j.id"
                                       " having count(x.id) <> j.attempts or count(distinct x.attempt) <> j.attempts"
                                       " or coalesce(max(x.attempt), 0) <> j.attempts",
    "history_still_running": "select x.job_id, x.attempt from jobs.job_attempts x where x.status = 'running'",
}
STATS = {
    "status": "select status::text as key, count(*) as n from jobs.jobs group by 1 order by 1",
    "attempt_outcomes": "select status || coalesce(': ' || split_part(error_message, ':', 1), '') as key,"
                        " count(*) as n from jobs.job_executions group by 1 order by 2 desc",
    "attempts_per_job": "select attempts::text as key, count(*) as n from jobs.jobs group by 1 order by 1",
    "effects_per_job": "select n::text as key, count(*) as n from chaos_effects group by 1 order by 1",
    "webhooks": "select case when error_msg like '%%dropped%%' then 'dropped' when status_code is null"
                " then 'error: ' || coalesce(left(error_msg, 40), '?') else 'http ' || status_code end"
                " as key, count(*) as n from net._http_response group by 1 order by 2 desc",
    "breaker_trips": "select scope || ': ' || reason as key, count(*) as n from jobs.breaker_trips group by 1",
}


def verify(url: str, config: ChaosConfig) -> dict[str, Any]:
    total = int(query(url, "select count(*) as c from jobs.jobs")[0]["c"])
    problems: dict[str, list[dict[str, Any]]] = {}
    if total != config.jobs:
        problems["job_count"] = [{"expected": config.jobs, "found": total}]
    for name, text in VIOLATIONS.items():
        rows = query(url, text)
        if rows:
            problems[name] = [{k: str(v) for k, v in r.items()} for r in rows[:20]]
            problems[name].append({"total_rows": str(len(rows))})
    stats = {name: {str(r["key"]): int(r["n"]) for r in query(url, text)}
             for name, text in STATS.items()}
    effects = query(url, "select count(*) as rows, count(*) filter (where n > 1) as reexecuted"
                         " from chaos_effects")[0]
    return {"jobs": total, "problems": problems, "stats": stats,
            "effect_rows": int(effects["rows"]), "reexecuted": int(effects["reexecuted"]),
            "retried_jobs": sum(n for k, n in stats["attempts_per_job"].items() if k != "1")}
