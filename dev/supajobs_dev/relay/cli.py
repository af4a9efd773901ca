"""`supajobs relay`: run the pg_net stand-in's relay until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Sequence

from supajobs_dev.relay.config import RelayConfig
from supajobs_dev.relay.loop import RelayError, run_relay


def build_parser(prog: str = "supajobs relay") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Send requests queued by the pg_net stand-in's net.http_post (dev/CI only; "
        "on Supabase the real pg_net does this).",
    )
    parser.add_argument("--db-url", default=os.environ.get("SUPAJOBS_DB_URL"),
                        help="PostgreSQL URL (default: $SUPAJOBS_DB_URL)")
    parser.add_argument("--batch-size", type=int, default=RelayConfig.batch_size)
    parser.add_argument("--max-concurrency", type=int, default=RelayConfig.max_concurrency)
    parser.add_argument("--poll-interval", type=float, default=RelayConfig.poll_interval_seconds,
                        help="seconds between polls when no NOTIFY arrives")
    chaos = parser.add_argument_group("fault injection (chaos tests)")
    chaos.add_argument("--drop-rate", type=float, default=0.0)
    chaos.add_argument("--duplicate-rate", type=float, default=0.0)
    chaos.add_argument("--delay-rate", type=float, default=0.0)
    chaos.add_argument("--max-delay-ms", type=int, default=0)
    chaos.add_argument("--seed", type=int, default=None)
    parser.add_argument("--log-level", default="INFO")
    return parser


def config_from_args(args: argparse.Namespace) -> RelayConfig:
    return RelayConfig(
        batch_size=args.batch_size, max_concurrency=args.max_concurrency,
        poll_interval_seconds=args.poll_interval, drop_rate=args.drop_rate,
        duplicate_rate=args.duplicate_rate, delay_rate=args.delay_rate,
        max_delay_ms=args.max_delay_ms, seed=args.seed,
    )


async def _serve(dsn: str, config: RelayConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_relay(dsn, config, stop)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.db_url:
        parser.error("--db-url is required (or set SUPAJOBS_DB_URL)")
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(_serve(args.db_url, config))
    except RelayError as exc:
        logging.getLogger("supajobs_dev.relay").error("%s", exc)
        return 1
    return 0
