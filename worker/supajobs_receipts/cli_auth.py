"""`supajobs auth google|freee` (the first consent: PKCE, a loopback redirect, the grant
stored server-side) and `supajobs auth status` (what is connected, never a token).

    supajobs auth google [--imap] [--account LABEL] [--no-browser] [--timeout SECONDS]
    supajobs auth freee [--company-id ID] [--no-browser] [--timeout SECONDS]
    supajobs auth status [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import webbrowser
from typing import Any

from supajobs.cli.context import Context
from supajobs.client import AsyncJobsClient
from supajobs_receipts.pipeline.cli_session import run_with_client
from supajobs_receipts.pipeline.consent import run_consent
from supajobs_receipts.pipeline.freee_companies import choose_company, list_companies
from supajobs_receipts.pipeline.grant_rows import GrantStatus, NewTokens
from supajobs_receipts.pipeline.grant_store import GrantStore
from supajobs_receipts.pipeline.oauth_settings import GMAIL_IMAP, check_provider, oauth_client

STATUS_COLUMNS = ["provider", "account", "status", "connected_at", "expires_at",
                  "refreshed_at", "scopes", "extra", "hint"]


def register(commands: Any) -> None:
    auth = commands.add_parser("auth", help="connect Google and freee (OAuth), show grants")
    sub = auth.add_subparsers(dest="auth_action", metavar="ACTION", required=True)
    for provider in ("google", "freee"):
        consent = sub.add_parser(provider, help=f"connect {provider}: opens the consent page "
                                 "and stores the grant in the database")
        consent.add_argument("--no-browser", action="store_true",
                             help="only print the URL (open it on any browser of this machine)")
        consent.add_argument("--timeout", type=float, default=300.0,
                             help="seconds to wait for the browser (default 300)")
        consent.add_argument("--account", help="a label shown by `auth status`")
        consent.add_argument("--port", type=int, default=0, help="the loopback redirect's "
                             "port, for an app that registered http://127.0.0.1:PORT/ exactly "
                             "(default: any free port)")
        consent.set_defaults(handler=connect, provider=provider)
    sub.choices["google"].add_argument(
        "--imap", action="store_true", help=f"also grant IMAP access ({GMAIL_IMAP}), for "
        "SUPAJOBS_IMAP_OAUTH=google")
    sub.choices["freee"].add_argument("--company-id", type=int,
                                      help="the freee company (事業所) receipts go to")
    status = sub.add_parser("status", help="what is connected and when its token expires")
    status.set_defaults(handler=show_status)


def connect(args: argparse.Namespace, ctx: Context) -> int:
    provider = check_provider(args.provider)
    client = oauth_client(provider)  # before anything else: a missing client is said first
    scopes = client.endpoints.scopes + ((GMAIL_IMAP,) if getattr(args, "imap", False) else ())

    def show(url: str) -> None:
        ctx.note(f"Open this URL to connect {provider} (waiting up to {args.timeout:.0f} s):")
        ctx.note(url)
        if not args.no_browser:
            webbrowser.open(url)

    tokens = asyncio.run(run_consent(client, scopes, show, args.timeout, args.port))
    account, extra = args.account or provider, {}
    if provider == "freee":
        company = choose_company(
            asyncio.run(list_companies(tokens.access_token.get_secret_value())),
            args.company_id)
        extra = {"company_id": company["id"]}
        account = args.account or str(company.get("display_name") or company["id"])

    async def work(db: AsyncJobsClient) -> GrantStatus:
        return await GrantStore(db).store(provider, account, _granted(tokens, scopes), extra)

    stored = run_with_client(ctx, work)
    ctx.note(f"{provider} connected ({stored.account}); the grant is stored in the database")
    ctx.emit(_shown(stored), STATUS_COLUMNS)
    return 0


def _granted(tokens: NewTokens, asked: tuple[str, ...]) -> NewTokens:
    # §5.1: scope may be omitted when it equals what was asked for
    return tokens if tokens.scopes is not None else tokens.model_copy(
        update={"scopes": list(asked)})


def _shown(row: GrantStatus) -> dict[str, Any]:
    shown = row.model_dump(mode="json", exclude={"generation", "last_error"})
    shown["hint"] = (f"revoked ({row.last_error}): run `supajobs auth {row.provider}`"
                     if row.status == "revoked" else "")
    return shown


def show_status(args: argparse.Namespace, ctx: Context) -> int:
    async def work(db: AsyncJobsClient) -> list[GrantStatus]:
        return await GrantStore(db).status()

    rows = run_with_client(ctx, work)
    if not rows and not ctx.as_json:
        ctx.note("nothing connected: run `supajobs auth google` or `supajobs auth freee`")
    ctx.emit([_shown(r) for r in rows], STATUS_COLUMNS)
    return 1 if any(r.status == "revoked" for r in rows) else 0
