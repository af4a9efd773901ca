"""GoogleDriveFileStore against the Drive fake (traffic checked against drive.v3.json): the
same FileStore behaviour as the local and Supabase stores, plus Drive's own failure modes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from supajobs_receipts.google_api import GoogleApiError, GoogleHttp, RetryPolicy
from supajobs_receipts.organize.organizer import organize_receipt
from supajobs_receipts.storage import (
    FileStore,
    StoreConflictError,
    StoredFileNotFoundError,
    UnsafePathError,
    sha256_hex,
)
from supajobs_receipts.storage.google_drive import GoogleDriveFileStore
from support.drive_fake import FOLDER, FakeDrive, mocked_drive
from support.google_contract import Call, google_error
from support.google_tokens import CountingTokens
from unit.organize_factory import make_receipt


@pytest.fixture
def drive() -> Iterator[FakeDrive]:
    fake = FakeDrive()
    with mocked_drive(fake):
        yield fake


def make_store(tokens: CountingTokens | None = None, **kw: int) -> GoogleDriveFileStore:
    http = GoogleHttp("drive", tokens or CountingTokens(), policy=RetryPolicy(max_wait=10),
                      sleep=lambda s: None)
    return GoogleDriveFileStore(http.tokens, "root-folder", http=http, **kw)


@pytest.fixture
def store(drive: FakeDrive) -> GoogleDriveFileStore:
    return make_store()


def test_is_a_file_store(store: GoogleDriveFileStore) -> None:
    assert isinstance(store, FileStore)


def test_put_uploads_once_with_its_hash(store: GoogleDriveFileStore, drive: FakeDrive) -> None:
    first = store.put(b"%PDF-1.7", "領収書.pdf")
    again = store.put(b"%PDF-1.7", "copy.pdf")
    key = f"inbox/{sha256_hex(b'%PDF-1.7')}.pdf"
    assert (first.path, first.created, again.created) == (key, True, False)
    assert drive.tree() == {key: b"%PDF-1.7"}
    (file,) = [f for f in drive.live() if f.mime != FOLDER]
    assert file.app == {"sha256": sha256_hex(b"%PDF-1.7")} and file.mime == "application/pdf"


def test_folders_are_created_once_and_cached(store: GoogleDriveFileStore,
                                             drive: FakeDrive) -> None:
    store.write("2024/06/a.pdf", b"a")
    store.write("2024/06/b.pdf", b"b")
    store.write("2024/07/c.pdf", b"c")
    folders = sorted(drive.path_of(f) for f in drive.live() if f.mime == FOLDER)
    assert folders == ["2024", "2024/06", "2024/07"]
    assert drive.calls.count("drive.files.create") == 3
    lookups = len(drive.queries)
    store.write("2024/06/d.pdf", b"d")
    assert len(drive.queries) == lookups + 1  # only the name check: folder ids are cached


def test_two_workers_racing_for_a_folder_use_the_oldest(drive: FakeDrive) -> None:
    make_store().write("2024/a.pdf", b"a")
    drive._new({"name": "2024", "mimeType": FOLDER, "parents": ["root-folder"]})  # a twin
    make_store().write("2024/b.pdf", b"b")
    assert drive.tree() == {"2024/a.pdf": b"a", "2024/b.pdf": b"b"}


def test_write_never_overwrites_different_bytes(store: GoogleDriveFileStore,
                                                drive: FakeDrive) -> None:
    store.write("2024/06/a.pdf", b"one")
    assert store.write("2024/06/a.pdf", b"one").created is False
    with pytest.raises(StoreConflictError, match=r"2024/06/a\.pdf"):
        store.write("2024/06/a.pdf", b"two")
    assert drive.tree() == {"2024/06/a.pdf": b"one"}


def test_a_file_put_there_by_hand_without_our_hash_is_a_conflict(
        store: GoogleDriveFileStore, drive: FakeDrive) -> None:
    drive._new({"name": "a.pdf", "parents": ["root-folder"]}, b"one")
    with pytest.raises(StoreConflictError):
        store.write("a.pdf", b"one")


def test_get_exists_open_and_missing(store: GoogleDriveFileStore) -> None:
    store.write("2024/06/2024-06-20_スタバ_500円.png", b"\x89PNG")
    assert store.get("2024/06/2024-06-20_スタバ_500円.png") == b"\x89PNG"
    assert store.exists("2024/06/2024-06-20_スタバ_500円.png")
    assert not store.exists("2024/06/none.png") and not store.exists("1999/none.png")
    with pytest.raises(StoredFileNotFoundError, match=r"none\.png"):
        store.get("2024/06/none.png")
    with store.open("2024/06/2024-06-20_スタバ_500円.png") as fh:
        assert fh.read() == b"\x89PNG"


def test_names_with_quotes_cannot_change_the_query(store: GoogleDriveFileStore,
                                                   drive: FakeDrive) -> None:
    tricky = "it's' or name != 'x.pdf"
    store.write(tricky, b"q")
    assert store.get(tricky) == b"q" and not store.exists("x.pdf")
    assert drive.tree() == {tricky: b"q"}


def test_move_renames_but_never_overwrites(store: GoogleDriveFileStore,
                                          drive: FakeDrive) -> None:
    store.write("inbox/a.pdf", b"a")
    store.write("taken.pdf", b"t")
    with pytest.raises(StoreConflictError):
        store.move("inbox/a.pdf", "taken.pdf")
    store.move("inbox/a.pdf", "2024/06/a.pdf")
    store.move("2024/06/a.pdf", "2024/06/renamed.pdf")
    assert drive.tree() == {"2024/06/renamed.pdf": b"a", "taken.pdf": b"t"}
    with pytest.raises(StoredFileNotFoundError):
        store.move("inbox/a.pdf", "b.pdf")


def test_list_walks_folders(store: GoogleDriveFileStore) -> None:
    keys = ["2024/06/a.pdf", "2024/06/b.pdf", "2024/07/x.pdf", "top.pdf"]
    for key in keys:
        store.write(key, key.encode())
    assert store.list() == keys
    assert store.list("2024/07") == ["2024/07/x.pdf"] and store.list("2030") == []


def test_list_leaves_out_names_that_are_not_keys(store: GoogleDriveFileStore,
                                                 drive: FakeDrive) -> None:
    store.write("a.pdf", b"a")
    drive._new({"name": "..", "parents": ["root-folder"]}, b"x")
    assert store.list() == ["a.pdf"]


def test_delete_moves_to_the_trash_never_destroys(store: GoogleDriveFileStore,
                                                  drive: FakeDrive) -> None:
    store.write("a.pdf", b"a")
    store.delete("a.pdf")
    assert drive.tree() == {} and not store.exists("a.pdf")
    (trashed,) = [f for f in drive.files.values() if f.trashed]
    assert trashed.data == b"a"  # recoverable from Drive's trash
    assert "drive.files.delete" not in drive.calls
    with pytest.raises(StoredFileNotFoundError):
        store.delete("a.pdf")


def test_upload_retried_after_a_timeout_makes_no_duplicate(store: GoogleDriveFileStore,
                                                           drive: FakeDrive) -> None:
    def lost_answer(request: httpx.Request, call: Call) -> httpx.Response | None:
        if call.kind != "upload":
            return None
        drive.faults.remove(lost_answer)
        drive.handler(request, call)  # Drive did it ...
        raise httpx.ReadTimeout("timed out", request=request)  # ... the answer was lost

    drive.faults.append(lost_answer)
    stored = store.put(b"%PDF once", "r.pdf")
    assert stored.created and list(drive.tree().values()) == [b"%PDF once"]
    assert len([f for f in drive.files.values() if f.mime != FOLDER]) == 1  # trash included
    assert "appProperties has" in drive.queries[-1]  # found by its sha256, not re-uploaded


def test_upload_that_failed_on_googles_side_is_made_again(store: GoogleDriveFileStore,
                                                          drive: FakeDrive) -> None:
    drive.faults.append(lambda r, c: google_error(503, "Backend Error", "backendError")
                        if c.kind == "upload" else None)
    store.put(b"%PDF twice", "r.pdf")
    assert list(drive.tree().values()) == [b"%PDF twice"]
    assert drive.calls.count("drive.files.create:upload") == 2


def test_large_files_go_resumable_and_resume_after_an_interrupted_chunk(
        drive: FakeDrive) -> None:
    store = make_store(resumable_above=1024)
    data = bytes(range(256)) * 4096 * 3  # 3 MiB: two chunks of 2 MiB at most
    chunks = 0

    def cut(request: httpx.Request, call: Call) -> httpx.Response | None:
        nonlocal chunks
        if call.kind != "resumable-chunk" or request.headers["content-range"].startswith("bytes */"):
            return None
        chunks += 1
        if chunks == 2:
            raise httpx.WriteTimeout("connection dropped", request=request)
        return None

    drive.faults.append(cut)
    stored = store.put(data, "big.pdf")
    assert stored.created and list(drive.tree().values()) == [data]
    assert drive.calls.count("drive.files.create:resumable-start") == 1
    # chunk 1, chunk 2 (dropped), the status query, chunk 2 again from where Drive stood
    assert drive.calls.count("drive.files.create:resumable-chunk") == 4


def test_token_expiry_is_renewed_once(drive: FakeDrive) -> None:
    tokens = CountingTokens()
    drive.valid_token = "ya29.secret-token-2"
    store = make_store(tokens)
    store.write("a.pdf", b"a")
    assert tokens.rejections == ["ya29.secret-token-1"] and store.get("a.pdf") == b"a"


def test_a_refused_request_is_an_error_that_names_it_without_the_token(
        store: GoogleDriveFileStore, drive: FakeDrive) -> None:
    drive.faults.append(lambda r, c: google_error(403, "The user does not have sufficient "
                                                  "permissions for this file.",
                                                  "insufficientFilePermissions"))
    with pytest.raises(GoogleApiError, match="insufficientFilePermissions") as caught:
        store.write("a.pdf", b"a")
    assert not caught.value.retryable and "secret-token" not in str(caught.value)


def test_organize_receipt_in_drive(store: GoogleDriveFileStore, drive: FakeDrive) -> None:
    stored = store.put(b"%PDF receipt", "r.pdf")
    record = make_receipt(1, data=b"%PDF receipt", stored_path=stored.path, vendor="ＡＷＳ")  # noqa: RUF001
    result = organize_receipt(record, store)
    assert result.new_path == "2024/06/2024-06-20_AWS_1234円.pdf"
    assert drive.tree() == {result.new_path: b"%PDF receipt"}
    again = organize_receipt(record.model_copy(update={"stored_path": result.new_path}), store)
    assert again.action == "unchanged"


def test_unsafe_keys_never_reach_drive(store: GoogleDriveFileStore, drive: FakeDrive) -> None:
    with pytest.raises(UnsafePathError):
        store.write("../other/x", b"x")
    with pytest.raises(UnsafePathError):
        store.get("/abs")
    assert drive.calls == []
