"""LocalFileStore: content-addressed puts, no clobbering, never outside its root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from supajobs_receipts.storage import (
    FileStore,
    LocalFileStore,
    StoreConflictError,
    StoredFileNotFoundError,
    UnsafePathError,
    sha256_hex,
)


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "store")


def test_is_a_file_store(store: LocalFileStore) -> None:
    assert isinstance(store, FileStore)


def test_put_stores_content_once_by_hash(store: LocalFileStore) -> None:
    first = store.put(b"%PDF-1.4 receipt", "Receipt.PDF")
    again = store.put(b"%PDF-1.4 receipt", "other-name.pdf")
    assert first.path == f"inbox/{sha256_hex(b'%PDF-1.4 receipt')}.pdf"
    assert (first.created, again.created) == (True, False)
    assert again.path == first.path
    assert store.list() == [first.path]
    assert store.get(first.path) == b"%PDF-1.4 receipt"
    assert first.size == len(b"%PDF-1.4 receipt")


def test_put_ignores_a_hostile_extension(store: LocalFileStore) -> None:
    stored = store.put(b"x", "evil.p/../../df")
    assert stored.path == f"inbox/{sha256_hex(b'x')}"


def test_write_refuses_to_overwrite_different_bytes(store: LocalFileStore) -> None:
    store.write("a/b.txt", b"one")
    assert store.write("a/b.txt", b"one").created is False
    with pytest.raises(StoreConflictError, match=r"a/b\.txt"):
        store.write("a/b.txt", b"two")
    assert store.get("a/b.txt") == b"one"


def test_write_leaves_no_temp_files(store: LocalFileStore) -> None:
    store.write("x/y.bin", b"data")
    names = [p.name for p in store.root.rglob("*")]
    assert not [n for n in names if n.startswith(".tmp-")]


def test_move_renames_and_prunes_empty_dirs(store: LocalFileStore) -> None:
    store.write("inbox/a.pdf", b"a")
    store.move("inbox/a.pdf", "2024/06/a.pdf")
    assert store.list() == ["2024/06/a.pdf"]
    assert not (store.root / "inbox").exists()


def test_move_never_overwrites(store: LocalFileStore) -> None:
    store.write("a.pdf", b"a")
    store.write("b.pdf", b"b")
    with pytest.raises(StoreConflictError):
        store.move("a.pdf", "b.pdf")
    assert (store.get("a.pdf"), store.get("b.pdf")) == (b"a", b"b")


def test_missing_files_raise_not_found(store: LocalFileStore) -> None:
    with pytest.raises(StoredFileNotFoundError, match=r"nope\.pdf"):
        store.get("nope.pdf")
    with pytest.raises(FileNotFoundError):
        store.delete("nope.pdf")
    with pytest.raises(StoredFileNotFoundError):
        store.move("nope.pdf", "x.pdf")
    assert store.exists("nope.pdf") is False


def test_list_by_prefix_and_delete(store: LocalFileStore) -> None:
    for key in ("2024/06/a.pdf", "2024/07/b.pdf", "2025/01/c.pdf"):
        store.write(key, key.encode())
    assert store.list("2024") == ["2024/06/a.pdf", "2024/07/b.pdf"]
    assert store.list("2024/") == ["2024/06/a.pdf", "2024/07/b.pdf"]
    assert store.list("1999") == []
    store.delete("2024/07/b.pdf")
    assert store.list() == ["2024/06/a.pdf", "2025/01/c.pdf"]


def test_open_reads_bytes(store: LocalFileStore) -> None:
    store.write("f.bin", b"\x00\x01")
    with store.open("f.bin") as fh:
        assert fh.read() == b"\x00\x01"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("../escape.pdf", "'..'"),
        ("a/../../escape.pdf", "'..'"),
        ("/etc/passwd", "absolute"),
        ("a\\b.pdf", "backslash"),
        ("a//b.pdf", "empty"),
        ("./a.pdf", "'.'"),
        ("a\x00b.pdf", "control"),
        ("", "empty"),
        ("e\u0301.pdf", "NFC"),
        ("x" * 256 + ".pdf", "255 bytes"),
    ],
)
def test_unsafe_keys_are_rejected(store: LocalFileStore, key: str, reason: str) -> None:
    with pytest.raises(UnsafePathError, match=reason):
        store.write(key, b"x")


def test_symlink_out_of_root_is_rejected(store: LocalFileStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, store.root / "link")
    with pytest.raises(UnsafePathError, match="outside the store root"):
        store.write("link/pwned.txt", b"x")
    assert list(outside.iterdir()) == []
