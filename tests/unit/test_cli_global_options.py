"""Global options are accepted after the command too, and never taken from after `--`."""

from __future__ import annotations

import pytest

from supajobs.cli.global_options import hoist_global_options
from supajobs.cli.main import build_parser


@pytest.mark.parametrize(("given", "expected"), [
    (["db", "push", "--db-url", "postgresql://x"], ["--db-url", "postgresql://x", "db", "push"]),
    (["db", "push", "--db-url=postgresql://x"], ["--db-url=postgresql://x", "db", "push"]),
    (["stats", "--json"], ["--json", "stats"]),
    (["--json", "stats"], ["--json", "stats"]),
    (["jobs", "enqueue", "t", "--", "--json"], ["jobs", "enqueue", "t", "--", "--json"]),
    (["db", "push", "--db-url"], ["db", "push", "--db-url"]),  # argparse names the gap
])
def test_hoisting(given: list[str], expected: list[str]) -> None:
    assert hoist_global_options(given) == expected


def test_parsed_the_same_either_way() -> None:
    parser, _ = build_parser()
    after = parser.parse_args(hoist_global_options(["db", "push", "--db-url", "postgresql://a"]))
    before = parser.parse_args(["--db-url", "postgresql://a", "db", "push"])
    assert (after.db_url, after.command, after.action) == ("postgresql://a", "db", "push")
    assert vars(after).keys() == vars(before).keys()


def test_a_missing_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from supajobs.cli.main import main

    with pytest.raises(SystemExit) as exited:
        main(["db", "push", "--db-url"])
    assert exited.value.code == 2
    assert "--db-url" in capsys.readouterr().err
