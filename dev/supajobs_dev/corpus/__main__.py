"""`python -m supajobs_dev.corpus OUT --part heldout --count 120 [--seed 16]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .build import DEFAULT_SEED, build


def _count(text: str) -> int:
    """At least one receipt: a run that writes nothing must not say it wrote something."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of receipts, at least 1; "
                                         f"got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m supajobs_dev.corpus",
                                     description="Write generated Japanese receipts and truth.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--part", choices=("tune", "heldout"), default="tune")
    parser.add_argument("--count", type=_count, default=120)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"{args.out} is a file, not a folder to write receipts into")
    paths = build(args.out, args.part, args.count, args.seed)
    print(f"wrote {len(paths)} receipts of part {args.part} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
