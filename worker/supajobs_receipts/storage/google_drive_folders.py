"""Store folders (`2024/06`) mapped to Drive folder ids: looked up or created once, cached.

Two workers may create the same folder at the same moment (Drive allows equal names); both
then use the oldest one, so files never end up split across twins.
"""

from __future__ import annotations

from supajobs_receipts.storage.google_drive_api import DriveApi


class FolderTree:
    def __init__(self, api: DriveApi, root_id: str) -> None:
        self.api = api
        self._ids: dict[str, str] = {"": root_id}

    def find(self, folder: str) -> str | None:
        """The id of `folder` ("" is the root), or None if it does not exist (not cached:
        another worker may create it)."""
        return self._walk(folder, create=False)

    def ensure(self, folder: str) -> str:
        found = self._walk(folder, create=True)
        assert found is not None  # create=True always ends with an id
        return found

    def _walk(self, folder: str, *, create: bool) -> str | None:
        if folder in self._ids:
            return self._ids[folder]
        parent_path, _, name = folder.rpartition("/")
        parent = self._walk(parent_path, create=create)
        if parent is None:
            return None
        twins = self.api.named(parent, name, folder=True)
        if not twins and not create:
            return None
        if not twins:
            self.api.create_folder(parent, name)
            twins = self.api.named(parent, name, folder=True)  # the oldest wins a race
        self._ids[folder] = str(twins[0]["id"])
        return self._ids[folder]

    def forget(self, folder: str) -> None:
        """Drop a cached id (the folder was trashed by hand and Drive said 404)."""
        for key in [k for k in self._ids if k and (k == folder or k.startswith(folder + "/"))]:
            del self._ids[key]
