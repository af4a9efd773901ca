"""`supajobs receipts install-schedules`: the receipt app's five standard schedules."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs.schedule_models import Schedule
from supajobs_receipts.pipeline.restore_records import client_for
from supajobs_receipts.schedules import install_standard_schedules

COLUMNS = ["name", "cron_expression", "timezone", "job_type", "enabled", "overlap"]


def register_install(sub: Any) -> None:
    install = sub.add_parser("install-schedules",
                             help="the five standard schedules (Asia/Tokyo)")
    install.add_argument("--freee", action="store_true",
                         help="also freee-sync, daily at 21:00 (needs a freee grant)")
    install.set_defaults(handler=install_schedules)


async def _install(client: AsyncJobsClient, with_freee: bool) -> list[Schedule]:
    async with client:
        return await install_standard_schedules(client, with_freee=with_freee)


def install_schedules(args: argparse.Namespace, ctx: Context) -> int:
    ctx.emit(asyncio.run(_install(client_for(ctx), bool(args.freee))), COLUMNS)
    return 0
