"""SUPAJOBS_MAIL_SOURCE=gmail, SUPAJOBS_GMAIL_*, SUPAJOBS_DRIVE_FOLDER_ID: parsed, checked,
and wired into PipelineSettings; a bad value is a clear ConfigurationError."""

from __future__ import annotations

from pathlib import Path

import pytest

from supajobs.errors import ConfigurationError
from supajobs_receipts.credentials import GrantMissingError
from supajobs_receipts.mail import DEFAULT_GMAIL_QUERY, GmailSource
from supajobs_receipts.pipeline import PipelineSettings
from supajobs_receipts.storage.google_drive import GoogleDriveFileStore

GMAIL = {"SUPAJOBS_MAIL_SOURCE": "gmail", "SUPAJOBS_GMAIL_ADDRESS": "me@gmail.com",
         "SUPAJOBS_GOOGLE_ACCESS_TOKEN": "ya29.fixed-secret"}


def test_gmail_from_env(tmp_path: Path) -> None:
    config = PipelineSettings.from_env({**GMAIL, "SUPAJOBS_STORE_DIR": str(tmp_path)})
    assert config.mailbox_key == "gmail:me@gmail.com"
    source = config.mail_source()
    assert isinstance(source, GmailSource)
    assert source.settings.query == DEFAULT_GMAIL_QUERY
    assert source.settings.label == "supajobs/processed"
    assert source.api.http.tokens.access_token() == "ya29.fixed-secret"
    assert "fixed-secret" not in repr(config)


def test_query_and_label_can_be_set() -> None:
    config = PipelineSettings.from_env({**GMAIL, "SUPAJOBS_GMAIL_QUERY": "from:aws has:attachment",
                                        "SUPAJOBS_GMAIL_LABEL": "経理/済"})
    assert config.google is not None and config.google.gmail is not None
    assert (config.google.gmail.query, config.google.gmail.label) == (
        "from:aws has:attachment", "経理/済")


@pytest.mark.parametrize(("env", "message"), [
    ({"SUPAJOBS_MAIL_SOURCE": "pop3"}, "must be one of imap, maildir, gmail, got 'pop3'"),
    ({"SUPAJOBS_MAIL_SOURCE": "gmail"}, "needs SUPAJOBS_GMAIL_ADDRESS"),
    ({**GMAIL, "SUPAJOBS_GMAIL_ADDRESS": "not-an-address"}, "address"),
    ({"SUPAJOBS_GMAIL_QUERY": "x"}, "SUPAJOBS_MAIL_SOURCE is not gmail"),
    ({**GMAIL, "SUPAJOBS_MAILDIR": "/tmp/box"}, "one mailbox"),
    ({"SUPAJOBS_DRIVE_FOLDER_ID": "../etc"}, "is not a Drive folder id"),
    ({"SUPAJOBS_DRIVE_FOLDER_ID": "1AbC", "SUPAJOBS_STORAGE_BUCKET": "b",
      "SUPABASE_URL": "https://x.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": "k"}, "not both"),
])
def test_bad_settings_are_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        PipelineSettings.from_env(env)


def test_drive_folder_makes_drive_the_store() -> None:
    config = PipelineSettings.from_env({"SUPAJOBS_DRIVE_FOLDER_ID": "1AbC-d_E",
                                        "SUPAJOBS_MAILDIR": "/tmp/box"})
    store = config.store()
    assert isinstance(store, GoogleDriveFileStore)
    with pytest.raises(GrantMissingError, match="supajobs auth google"):
        store.http.tokens.access_token()  # no token configured: clear, not retried


def test_a_token_factory_from_the_caller_wins() -> None:
    class Tokens:
        provider = "google"

        def access_token(self) -> str:
            return "from-the-store"

        def after_rejection(self, rejected: str) -> str:
            return "renewed"

    config = PipelineSettings.from_env(GMAIL, google_tokens=Tokens)
    source = config.mail_source()
    assert isinstance(source, GmailSource)
    assert source.api.http.tokens.access_token() == "from-the-store"
