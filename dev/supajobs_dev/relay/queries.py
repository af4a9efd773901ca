"""The relay's SQL, kept in sql/*.sql and read once at import."""

from __future__ import annotations

from importlib.resources import files


def _load(name: str) -> str:
    # Files shipped with the package, never built from input.
    return files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


CLAIM = _load("claim")
RECORD = _load("record")
PRUNE = _load("prune")
LISTEN = _load("listen")
