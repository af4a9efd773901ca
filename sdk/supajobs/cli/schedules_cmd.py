"""supajobs schedules list|add|pause|resume|delete|run-now|plan.

Times are shown in each schedule's own zone; next fire times come from croniter there.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter

from supajobs.cli.context import Context
from supajobs.cli.jobs_cmd import JOB_COLUMNS, _payload
from supajobs.schedule_models import Schedule

COLUMNS = ["name", "cron_expression", "timezone", "job_type", "enabled", "overlap",
           "next_fire", "last_fired_at"]


def next_fires(schedule: Schedule, count: int, now: datetime | None = None) -> list[datetime]:
    zone = ZoneInfo(schedule.timezone)
    it = croniter(schedule.cron_expression.replace("?", "*"),
                  (now or datetime.now(UTC)).astimezone(zone))
    return [it.get_next(datetime) for _ in range(count)]


def _row(s: Schedule) -> dict[str, Any]:
    row = dict(s)
    row["next_fire"] = next_fires(s, 1)[0] if s.enabled else None
    return row


def register(commands: Any) -> None:
    sch = commands.add_parser("schedules", help="pg_cron schedules")
    sub = sch.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list schedules").set_defaults(handler=list_schedules)
    add = sub.add_parser("add", help="create or replace a schedule")
    add.add_argument("name")
    add.add_argument("cron", help='5 fields in --timezone, e.g. "0 1 L * *"')
    add.add_argument("job_type")
    add.add_argument("--payload", default="{}")
    add.add_argument("--timezone", default="Asia/Tokyo")
    add.add_argument("--overlap", default="skip")
    add.add_argument("--priority")
    add.add_argument("--disabled", action="store_true")
    add.set_defaults(handler=add_schedule)
    for name, handler in (("pause", pause), ("resume", resume), ("delete", delete),
                          ("run-now", run_now)):
        p = sub.add_parser(name, help=f"{name} a schedule")
        p.add_argument("name")
        p.set_defaults(handler=handler)
    plan_p = sub.add_parser("plan", help="upcoming fire times, in each schedule's zone")
    plan_p.add_argument("--days", type=int, default=7)
    plan_p.add_argument("--limit", type=int, default=50)
    plan_p.set_defaults(handler=plan)


def list_schedules(args: argparse.Namespace, ctx: Context) -> int:
    rows = [_row(s) for s in ctx.client().schedules.list()]
    if ctx.as_json:
        rows = [{**json.loads(Schedule(**r).model_dump_json()),
                 "next_fire": r["next_fire"].isoformat() if r["next_fire"] else None} for r in rows]
    ctx.emit(rows, COLUMNS)
    return 0


def add_schedule(args: argparse.Namespace, ctx: Context) -> int:
    saved = ctx.client().schedules.upsert(
        args.name, args.cron, args.job_type, _payload(args.payload), timezone=args.timezone,
        overlap=args.overlap, priority=args.priority, enabled=not args.disabled)
    ctx.emit(saved, [*COLUMNS[:6], "utc_expression"])
    return 0


def pause(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().schedules.pause(args.name), COLUMNS[:6])
    return 0


def resume(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().schedules.resume(args.name), COLUMNS[:6])
    return 0


def delete(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit({"deleted": ctx.client().schedules.delete(args.name), "name": args.name},
             ["name", "deleted"])
    return 0


def run_now(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(ctx.client().schedules.run_now(args.name), JOB_COLUMNS)
    return 0


def plan(args: argparse.Namespace, ctx: Context) -> int:
    now = datetime.now(UTC)
    horizon = now.timestamp() + args.days * 86400
    fires: list[dict[str, Any]] = []
    for s in ctx.client().schedules.list():
        if not s.enabled:
            continue
        for at in next_fires(s, args.limit, now):
            if at.timestamp() <= horizon:
                fires.append({"at": at, "schedule": s.name, "job_type": s.job_type,
                              "timezone": s.timezone})
    fires.sort(key=lambda f: f["at"])
    if ctx.as_json:
        fires = [{**f, "at": f["at"].isoformat()} for f in fires]
    ctx.emit(fires, ["at", "schedule", "job_type"])
    return 0

