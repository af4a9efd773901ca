"""PipelineSettings: where files, reports and backups live, and which mailbox to scan.

Read from the environment (SUPAJOBS_*). The mailbox is a local Maildir (SUPAJOBS_MAILDIR,
the demo's) or an IMAP account (SUPAJOBS_IMAP_HOST, _PORT, _USER, _PASSWORD or
_OAUTH_TOKEN, _SECURITY ssl|starttls|none, _MAILBOX, _CA_FILE). Receipt files go to a local
directory (SUPAJOBS_STORE_DIR) or, with SUPAJOBS_STORAGE_BUCKET, to that Supabase Storage
bucket of SUPABASE_URL (service-role key from SUPABASE_SERVICE_ROLE_KEY). Backups: see
`backup_settings` (SUPAJOBS_BACKUP_DIR, _BUCKET, _RETENTION_YEARS).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from supajobs.errors import ConfigurationError
from supajobs_receipts.backup import MIN_RETENTION_YEARS
from supajobs_receipts.mail import ImapSettings, ImapSource, MaildirSource
from supajobs_receipts.pipeline.backup_settings import (
    BackupTarget,
    backup_targets,
    check_retention,
    retention_from_env,
)
from supajobs_receipts.reading import ReadOptions, engine
from supajobs_receipts.reading.parallel import parse_jobs, usable_cores
from supajobs_receipts.storage import FileStore, LocalFileStore
from supajobs_receipts.storage.supabase_storage import SupabaseFileStore

DEFAULT_STORE_DIR = Path(".local/store")
DEFAULT_BACKUP_DIR = Path(".local/backups")
DEFAULT_REPORT_DIR = Path(".local/reports")


@dataclass(frozen=True)
class PipelineSettings:
    store_dir: Path = DEFAULT_STORE_DIR
    backup_dir: Path = DEFAULT_BACKUP_DIR
    report_dir: Path = DEFAULT_REPORT_DIR
    backup_retention_years: int = MIN_RETENTION_YEARS
    maildir: Path | None = None
    imap: ImapSettings | None = None
    read_options: ReadOptions = field(default_factory=ReadOptions)
    ocr_workers: int = field(default_factory=usable_cores)  # reading processes at once
    # (SUPABASE_URL, service-role key, bucket) when files live in Supabase Storage
    storage_bucket: tuple[str, str, str] | None = None
    # the same, for a second copy of the backups (SUPAJOBS_BACKUP_BUCKET)
    backup_bucket: tuple[str, str, str] | None = None

    def __post_init__(self) -> None:
        check_retention(self.backup_retention_years)
        if self.ocr_workers < 1:
            raise ConfigurationError(f"ocr_workers must be at least 1, got {self.ocr_workers}")
        if self.maildir is not None and self.imap is not None:
            raise ConfigurationError("configure one mailbox: SUPAJOBS_MAILDIR or IMAP, not both")

    def store(self) -> FileStore:
        if self.storage_bucket is not None:
            return SupabaseFileStore(*self.storage_bucket)
        return LocalFileStore(self.store_dir)

    def backup_targets(self) -> list[BackupTarget]:
        return backup_targets(self.backup_dir, self.backup_bucket)

    @property
    def mailbox_key(self) -> str:
        """The checkpoint's name in receipts.mail_checkpoints: one per mailbox."""
        if self.maildir is not None:
            return f"maildir:{self.maildir.resolve()}"
        if self.imap is not None:
            return f"imap:{self.imap.username}@{self.imap.address}/{self.imap.mailbox}"
        raise ConfigurationError("no mailbox configured: set SUPAJOBS_MAILDIR or "
                                 "SUPAJOBS_IMAP_HOST and SUPAJOBS_IMAP_USER")

    def mail_source(self) -> MaildirSource | ImapSource:
        if self.maildir is not None:
            return MaildirSource(self.maildir)
        if self.imap is not None:
            return ImapSource(self.imap)
        raise ConfigurationError("no mailbox configured: set SUPAJOBS_MAILDIR or "
                                 "SUPAJOBS_IMAP_HOST and SUPAJOBS_IMAP_USER")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PipelineSettings:
        env = os.environ if env is None else env

        def get(key: str) -> str | None:
            value = env.get(key, "").strip()
            return value or None

        maildir = get("SUPAJOBS_MAILDIR")
        return cls(store_dir=Path(get("SUPAJOBS_STORE_DIR") or DEFAULT_STORE_DIR),
                   backup_dir=Path(get("SUPAJOBS_BACKUP_DIR") or DEFAULT_BACKUP_DIR),
                   report_dir=Path(get("SUPAJOBS_REPORT_DIR") or DEFAULT_REPORT_DIR),
                   backup_retention_years=retention_from_env(get),
                   maildir=Path(maildir) if maildir else None, imap=_imap_from_env(get),
                   storage_bucket=_bucket_from_env(get, "SUPAJOBS_STORAGE_BUCKET"),
                   backup_bucket=_bucket_from_env(get, "SUPAJOBS_BACKUP_BUCKET"),
                   ocr_workers=_ocr_workers_from_env(get))


def _ocr_workers_from_env(get: Callable[[str], str | None]) -> int:
    try:
        engine.use_api()  # a wrong SUPAJOBS_OCR_ENGINE stops the start, not every job
    except engine.EngineSettingError as exc:
        raise ConfigurationError(str(exc)) from None
    raw = get("SUPAJOBS_OCR_WORKERS")
    if raw is None:
        return usable_cores()
    try:
        return parse_jobs(raw)
    except ValueError as exc:
        raise ConfigurationError(f"SUPAJOBS_OCR_WORKERS {exc}") from None


def _bucket_from_env(get: Callable[[str], str | None], variable: str
                     ) -> tuple[str, str, str] | None:
    bucket = get(variable)
    if bucket is None:
        return None
    url, key = get("SUPABASE_URL"), get("SUPABASE_SERVICE_ROLE_KEY")
    if url is None or key is None:
        raise ConfigurationError(f"{variable} needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY")
    return url, key, bucket


def _imap_from_env(get: Callable[[str], str | None]) -> ImapSettings | None:
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
            "mailbox": get("SUPAJOBS_IMAP_MAILBOX") or "INBOX",
            "ca_file": get("SUPAJOBS_IMAP_CA_FILE")})
    except PydanticValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigurationError(f"IMAP settings (SUPAJOBS_IMAP_*) are invalid: {problems}") \
            from None
