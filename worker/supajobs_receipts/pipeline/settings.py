"""PipelineSettings: where files, reports and backups live, and which mailbox to scan.

Read from the environment (SUPAJOBS_*). The mailbox is a local Maildir (SUPAJOBS_MAILDIR,
the demo's) or an IMAP account (SUPAJOBS_IMAP_HOST, _PORT, _USER, _PASSWORD or
_OAUTH_TOKEN or _OAUTH=google (the stored grant, see oauth_settings), _SECURITY
ssl|starttls|none, _MAILBOX, _CA_FILE). Receipt files go to a local
directory (SUPAJOBS_STORE_DIR) or, with SUPAJOBS_STORAGE_BUCKET, to that Supabase Storage
bucket of SUPABASE_URL (service-role key from SUPABASE_SERVICE_ROLE_KEY). Backups: see
`backup_settings` (SUPAJOBS_BACKUP_DIR, _BUCKET, _RETENTION_YEARS). Gmail API and Google
Drive (SUPAJOBS_MAIL_SOURCE=gmail, SUPAJOBS_DRIVE_FOLDER_ID): see `google_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from supajobs.errors import ConfigurationError
from supajobs_receipts.backup import MIN_RETENTION_YEARS
from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.mail import GmailSource, ImapSettings, ImapSource, MaildirSource
from supajobs_receipts.pipeline.backup_settings import (
    BackupTarget,
    backup_targets,
    check_retention,
    retention_from_env,
)
from supajobs_receipts.pipeline.google_settings import GoogleSettings, TokenFactory, google_from_env
from supajobs_receipts.pipeline.mailbox_env import bucket_from_env, imap_from_env
from supajobs_receipts.pipeline.ocr_settings import ocr_workers_from_env
from supajobs_receipts.reading import ReadOptions
from supajobs_receipts.reading.parallel import usable_cores
from supajobs_receipts.storage import FileStore, LocalFileStore
from supajobs_receipts.storage.google_drive import GoogleDriveFileStore
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
    google: GoogleSettings | None = None  # Gmail source and/or Drive store

    def __post_init__(self) -> None:
        check_retention(self.backup_retention_years)
        if self.ocr_workers < 1:
            raise ConfigurationError(f"ocr_workers must be at least 1, got {self.ocr_workers}")
        gmail = self.google is not None and self.google.gmail is not None
        if sum((self.maildir is not None, self.imap is not None, gmail)) > 1:
            raise ConfigurationError("configure one mailbox: SUPAJOBS_MAILDIR, IMAP or "
                                     "SUPAJOBS_MAIL_SOURCE=gmail; not both")
        drive = self.google is not None and self.google.drive_folder_id is not None
        if drive and self.storage_bucket is not None:
            raise ConfigurationError("configure one file store: SUPAJOBS_DRIVE_FOLDER_ID or "
                                     "SUPAJOBS_STORAGE_BUCKET, not both")

    def store(self) -> FileStore:
        if self.google is not None and self.google.drive_folder_id is not None:
            return GoogleDriveFileStore(self.google.token_source(), self.google.drive_folder_id)
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
        if self.google is not None and self.google.gmail is not None:
            return f"gmail:{self.google.gmail.address}"
        raise ConfigurationError("no mailbox configured: set SUPAJOBS_MAILDIR, "
                                 "SUPAJOBS_IMAP_HOST and SUPAJOBS_IMAP_USER, or "
                                 "SUPAJOBS_MAIL_SOURCE=gmail and SUPAJOBS_GMAIL_ADDRESS")

    def mail_source(self, tokens: Callable[[str], TokenSource] | None = None
                    ) -> MaildirSource | ImapSource | GmailSource:
        """`tokens(provider)` gives the stored grant's token source (IMAP with
        SUPAJOBS_IMAP_OAUTH)."""
        if self.maildir is not None:
            return MaildirSource(self.maildir)
        if self.imap is not None:
            provider = self.imap.oauth_provider
            if provider is not None and tokens is not None:
                return ImapSource(self.imap.bind(tokens(provider)))
            return ImapSource(self.imap)
        if self.google is not None and self.google.gmail is not None:
            return GmailSource(self.google.gmail, self.google.token_source())
        raise ConfigurationError("no mailbox configured: set SUPAJOBS_MAILDIR, "
                                 "SUPAJOBS_IMAP_HOST and SUPAJOBS_IMAP_USER, or "
                                 "SUPAJOBS_MAIL_SOURCE=gmail and SUPAJOBS_GMAIL_ADDRESS")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 google_tokens: TokenFactory | None = None) -> PipelineSettings:
        env = os.environ if env is None else env

        def get(key: str) -> str | None:
            value = env.get(key, "").strip()
            return value or None

        maildir = get("SUPAJOBS_MAILDIR")
        return cls(store_dir=Path(get("SUPAJOBS_STORE_DIR") or DEFAULT_STORE_DIR),
                   backup_dir=Path(get("SUPAJOBS_BACKUP_DIR") or DEFAULT_BACKUP_DIR),
                   report_dir=Path(get("SUPAJOBS_REPORT_DIR") or DEFAULT_REPORT_DIR),
                   backup_retention_years=retention_from_env(get),
                   maildir=Path(maildir) if maildir else None, imap=imap_from_env(get),
                   storage_bucket=bucket_from_env(get, "SUPAJOBS_STORAGE_BUCKET"),
                   backup_bucket=bucket_from_env(get, "SUPAJOBS_BACKUP_BUCKET"),
                   google=google_from_env(get, google_tokens),
                   ocr_workers=ocr_workers_from_env(get))
