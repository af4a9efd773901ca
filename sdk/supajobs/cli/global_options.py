"""Global options may follow the command: `supajobs db push --db-url …` works like
`supajobs --db-url … db push`, because that is how people type it."""

from __future__ import annotations

from collections.abc import Sequence

WITH_VALUE = ("--db-url", "--supabase-url")
FLAGS = ("--json",)


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """argv with the global options moved in front of the command (nothing after `--`)."""
    front: list[str] = []
    rest: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest += items[i:]
            break
        name = arg.split("=", 1)[0]
        if arg in FLAGS or (name in WITH_VALUE and "=" in arg):
            front.append(arg)
        elif arg in WITH_VALUE and i + 1 < len(items):
            front += [arg, items[i + 1]]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest
