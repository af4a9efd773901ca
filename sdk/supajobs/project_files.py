"""The Supabase project that ships inside the package: config.toml, migrations, schemas.

In a checkout `supajobs/supabase_project` is a link to the repository's `supabase/`; a wheel
carries copies of those files as package data, so `supajobs db push` works from anywhere.
"""

from __future__ import annotations

import re
import shutil
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from supajobs.errors import ConfigurationError

PROJECT_DIR = "supabase_project"
MIGRATION_NAME = re.compile(r"^(\d{14})_[a-z0-9_]+\.sql$")


def packaged_project() -> Traversable:
    return files("supajobs") / PROJECT_DIR


def migration_files(project: Traversable | None = None) -> list[Traversable]:
    """The project's migration files in the order the Supabase CLI applies them."""
    folder = (project or packaged_project()) / "migrations"
    found = [f for f in folder.iterdir() if MIGRATION_NAME.match(f.name)] \
        if folder.is_dir() else []
    return sorted(found, key=lambda f: f.name)


def migration_versions(project: Traversable | None = None) -> list[str]:
    return [m.group(1) for f in migration_files(project)
            if (m := MIGRATION_NAME.match(f.name)) is not None]


def stage_workdir(target: Path, project: Traversable | None = None) -> Path:
    """Copy config.toml and the migrations into target/supabase (a scratch folder the CLI may
    write its .temp into), and return target, the CLI's --workdir."""
    source = project or packaged_project()
    migrations = migration_files(source)
    if not migrations:
        raise ConfigurationError(
            "this supajobs installation ships no migrations (supajobs/supabase_project/"
            "migrations is empty or missing); nothing was applied",
            hint="reinstall supajobs from a complete wheel or run from a checkout")
    supabase = target / "supabase"
    (supabase / "migrations").mkdir(parents=True)
    with as_file(source / "config.toml") as config:
        if not config.is_file():
            raise ConfigurationError("supajobs/supabase_project/config.toml is missing; "
                                     "nothing was applied", hint="reinstall supajobs")
        shutil.copyfile(config, supabase / "config.toml")
    for migration in migrations:
        (supabase / "migrations" / migration.name).write_bytes(migration.read_bytes())
    return target
