"""`supajobs db push` from a wheel in a fresh venv, run from a folder outside the checkout."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import psycopg
import pytest

from supajobs.project_files import migration_versions
from supajobs_dev.project import SUPABASE_CLI
from support.wheel_env import WheelEnv, clean_env, make_wheel_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    return make_wheel_env(tmp_path_factory.mktemp("wheel"))


def has_queue(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*) from pg_proc p join pg_namespace n"
                           " on n.oid = p.pronamespace where n.nspname = 'jobs'").fetchone()
        return row is not None and row[0] > 20


def with_cli() -> dict[str, str]:
    return clean_env(SUPABASE_BIN=str(SUPABASE_CLI))


def test_the_wheel_carries_the_project_and_no_dev_parts(wheel_env: WheelEnv) -> None:
    names = zipfile.ZipFile(wheel_env.wheel).namelist()
    shipped = sorted(Path(n).name for n in names if "/supabase_project/migrations/" in n)
    assert [n[:14] for n in shipped] == migration_versions() and shipped
    assert "supajobs/supabase_project/config.toml" in names
    assert not [n for n in names if n.startswith("supajobs_dev/") or "/relay/" in n]
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel_env.wheel).read(metadata).decode()
                .splitlines() if line.startswith("Requires-Dist:")]
    runtime = [r for r in requires if "extra ==" not in r or 'extra == "worker"' in r]
    assert runtime and not [r for r in runtime if "reportlab" in r or "pytest" in r]
    where = wheel_env.run_python("import supajobs; print(supajobs.__file__)").stdout
    assert where.startswith(str(wheel_env.root)), where  # the wheel, not the checkout


def test_db_push_from_a_wheel_installs_the_queue(wheel_env: WheelEnv, empty_db_url: str) -> None:
    first = wheel_env.supajobs("db", "push", "--db-url", empty_db_url, env=with_cli())
    assert first.returncode == 0, first.stderr
    assert has_queue(empty_db_url)
    with psycopg.connect(empty_db_url) as conn:
        recorded = [r[0] for r in conn.execute(
            "select version from supabase_migrations.schema_migrations order by 1")]
    assert recorded == migration_versions()
    again = wheel_env.supajobs("db", "push", "--db-url", empty_db_url, env=with_cli())
    assert again.returncode == 0 and "up to date" in again.stdout + again.stderr


def test_db_push_without_the_cli_says_how_to_get_it(wheel_env: WheelEnv, empty_db_url: str) -> None:
    done = wheel_env.supajobs("db", "push", "--db-url", empty_db_url)
    assert done.returncode == 5
    assert "Supabase CLI (`supabase`) is not on PATH; nothing was applied" in done.stderr
    assert "hint: install the Supabase CLI (`npm install -g supabase`" in done.stderr
    assert not has_queue(empty_db_url)


def test_db_push_without_tls_hints_at_sslmode(wheel_env: WheelEnv, empty_db_url: str) -> None:
    done = wheel_env.supajobs("db", "push", "--db-url", empty_db_url.split("?")[0], env=with_cli())
    assert done.returncode == 1, done.stderr
    assert "supabase db push failed" in done.stderr and "add `?sslmode=disable`" in done.stderr
    assert not has_queue(empty_db_url)


def test_db_push_of_a_wheel_without_migrations_fails(wheel_env: WheelEnv, empty_db_url: str,
                                                     tmp_path: Path) -> None:
    migrations = wheel_env.site_packages() / "supajobs" / "supabase_project" / "migrations"
    saved = tmp_path / "saved"
    shutil.move(migrations, saved)
    try:
        done = wheel_env.supajobs("db", "push", "--db-url", empty_db_url, env=with_cli())
    finally:
        shutil.move(saved, migrations)
    assert done.returncode == 5
    assert "ships no migrations" in done.stderr and "nothing was applied" in done.stderr
    assert not has_queue(empty_db_url)


def test_dev_commands_are_not_in_a_runtime_install(wheel_env: WheelEnv) -> None:
    wheel = zipfile.ZipFile(wheel_env.wheel)
    points = wheel.read(next(n for n in wheel.namelist() if n.endswith("entry_points.txt")))
    group = points.decode().split("[supajobs.cli]")[1].split("[")[0].splitlines()
    assert sorted(line.split("=")[0].strip() for line in group if "=" in line) == [
        "auth", "dashboard", "receipts"]  # `local` and `relay` come with supajobs-dev only


def test_the_receipts_dashboard_pages_ship_in_the_wheel(wheel_env: WheelEnv) -> None:
    wheel = zipfile.ZipFile(wheel_env.wheel)
    names = set(wheel.namelist())
    assert {f"supajobs_receipts/dashboard/static/{f}"
            for f in ("receipts.html", "receipts.js", "receipts.css")} <= names
    assert "supajobs_worker/dashboard/static/extension.html" in names
    points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "[supajobs.dashboard]\nreceipts = supajobs_receipts.dashboard:extension" in points
