"""The Drive v3 calls the file store makes (metadata, search, download, folders).

Names in search queries are quoted the way Drive's query language wants (backslash and
single quote escaped), so no file name can change what a query means.
"""

from __future__ import annotations

from typing import Any

from supajobs_receipts.google_api import GoogleHttp

API = "https://www.googleapis.com/drive/v3/files"
UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"
FOLDER = "application/vnd.google-apps.folder"
FIELDS = "id,name,mimeType,parents,appProperties,sha256Checksum,size,createdTime"
# Shared drives work like My Drive once these are set (Drive's guidance for every app).
ALL_DRIVES = {"supportsAllDrives": "true"}


def quote(value: str) -> str:
    """A string literal of Drive's query language."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class DriveApi:
    def __init__(self, http: GoogleHttp) -> None:
        self.http = http

    def search(self, query: str, *, order: str = "createdTime") -> list[dict[str, Any]]:
        """Every file (not trashed) matching `query`, all pages, oldest first."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params = {**ALL_DRIVES, "includeItemsFromAllDrives": "true",
                      "q": f"({query}) and trashed = false", "orderBy": order,
                      "pageSize": "1000", "fields": f"nextPageToken,files({FIELDS})"}
            if token:
                params["pageToken"] = token
            body = self.http.request("GET", API, params=params).json()
            found += body.get("files", [])
            token = body.get("nextPageToken")
            if not token:
                return found

    def children(self, folder_id: str) -> list[dict[str, Any]]:
        return self.search(f"{quote(folder_id)} in parents", order="name")

    def named(self, folder_id: str, name: str, *, folder: bool) -> list[dict[str, Any]]:
        kind = "=" if folder else "!="
        return self.search(f"{quote(folder_id)} in parents and name = {quote(name)} and "
                           f"mimeType {kind} {quote(FOLDER)}")

    def with_hash(self, folder_id: str, sha256: str) -> list[dict[str, Any]]:
        """Files in the folder whose appProperties carry this sha256 (our own uploads)."""
        return self.search(f"{quote(folder_id)} in parents and appProperties has "
                           f"{{ key='sha256' and value={quote(sha256)} }}")

    def create_folder(self, parent_id: str, name: str) -> dict[str, Any]:
        body = {"name": name, "mimeType": FOLDER, "parents": [parent_id]}
        params = {**ALL_DRIVES, "fields": FIELDS}
        # Not repeated on failure here: a folder created twice is found and reused instead.
        return dict(self.http.request("POST", API, params=params, json=body,
                                      retry_safe=False).json())

    def download(self, file_id: str) -> bytes:
        params = {**ALL_DRIVES, "alt": "media"}
        return self.http.request("GET", f"{API}/{file_id}", params=params).content

    def update(self, file_id: str, body: dict[str, Any], *, add_parent: str | None = None,
               remove_parent: str | None = None) -> dict[str, Any]:
        params = {**ALL_DRIVES, "fields": FIELDS}
        if add_parent and remove_parent:
            params |= {"addParents": add_parent, "removeParents": remove_parent}
        return dict(self.http.request("PATCH", f"{API}/{file_id}", params=params,
                                      json=body).json())
