"""Incremental scan of a local Maildir folder (the local demo's mailbox).

Maildir has no UIDs; each message file has a unique name that survives the move from
new/ to cur/ (only the ":2,<flags>" suffix changes), so the checkpoint is the set of
unique names already handled. Names that disappeared from the folder are dropped from
the set, which keeps it as small as the folder. The folder is only read, never changed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from .errors import MailboxMissingError, MailConnectionError
from .model import MaildirCheckpoint, MailMessage


class MaildirSource:
    def __init__(self, path: str | os.PathLike[str], *, max_messages: int = 200) -> None:
        self.path = Path(path)
        self.max_messages = max_messages

    def fetch_new(
        self, checkpoint: MaildirCheckpoint | None
    ) -> tuple[list[MailMessage], MaildirCheckpoint]:
        """New messages (oldest file first) and the checkpoint to store once handled."""
        seen = checkpoint.seen if checkpoint is not None else frozenset()
        present = self._files()
        fresh = sorted(
            (mtime, key, path) for key, (mtime, path) in present.items() if key not in seen
        )[: self.max_messages]
        messages = []
        for mtime, key, path in fresh:
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # moved (new/ -> cur/) by a mail client meanwhile; next run sees it
            except OSError as exc:
                raise MailConnectionError(f"cannot read {path}: {exc.strerror}") from exc
            received = datetime.fromtimestamp(mtime, UTC)
            messages.append(MailMessage.from_raw(raw, key=key, received_at=received))
        handled = (seen & present.keys()) | {m.key for m in messages}
        return messages, MaildirCheckpoint(seen=frozenset(handled))

    def _files(self) -> dict[str, tuple[float, Path]]:
        """Unique name -> (mtime, path) for every message in new/ and cur/."""
        if not all((self.path / sub).is_dir() for sub in ("new", "cur")):
            raise MailboxMissingError(f"{self.path} is not a Maildir (needs new/ and cur/)")
        found: dict[str, tuple[float, Path]] = {}
        for sub in ("new", "cur"):
            try:
                entries = list(os.scandir(self.path / sub))
            except OSError as exc:
                raise MailConnectionError(f"cannot list {self.path / sub}: {exc.strerror}") from exc
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                key = entry.name.split(":", 1)[0].split("!", 1)[0]
                try:
                    found[key] = (entry.stat().st_mtime, Path(entry.path))
                except FileNotFoundError:
                    continue
        return found
