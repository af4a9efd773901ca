"""SUPAJOBS_IMAP_* and the Supabase Storage buckets, read from the environment for
PipelineSettings (each bad value is a ConfigurationError naming the variable)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError as PydanticValidationError

from supajobs.errors import ConfigurationError
from supajobs_receipts.mail import ImapSettings
from supajobs_receipts.pipeline.oauth_settings import imap_oauth_provider


def bucket_from_env(get: Callable[[str], str | None], variable: str
                     ) -> tuple[str, str, str] | None:
    bucket = get(variable)
    if bucket is None:
        return None
    url, key = get("SUPABASE_URL"), get("SUPABASE_SERVICE_ROLE_KEY")
    if url is None or key is None:
        raise ConfigurationError(f"{variable} needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY")
    return url, key, bucket


def imap_from_env(get: Callable[[str], str | None]) -> ImapSettings | None:
    host = get("SUPAJOBS_IMAP_HOST")
    if host is None:
        return None
    port = get("SUPAJOBS_IMAP_PORT")
    if port is not None and not port.isdigit():
        raise ConfigurationError(f"SUPAJOBS_IMAP_PORT must be a number, got {port!r}")
    password, token = get("SUPAJOBS_IMAP_PASSWORD"), get("SUPAJOBS_IMAP_OAUTH_TOKEN")
    try:
        return ImapSettings.model_validate({
            "host": host, "port": int(port) if port else None,
            "security": get("SUPAJOBS_IMAP_SECURITY") or "ssl",
            "username": get("SUPAJOBS_IMAP_USER") or "",
            "password": password, "oauth2_token": token,
            "oauth_provider": imap_oauth_provider(get("SUPAJOBS_IMAP_OAUTH")),
            "mailbox": get("SUPAJOBS_IMAP_MAILBOX") or "INBOX",
            "ca_file": get("SUPAJOBS_IMAP_CA_FILE")})
    except PydanticValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigurationError(f"IMAP settings (SUPAJOBS_IMAP_*) are invalid: {problems}") \
            from None
