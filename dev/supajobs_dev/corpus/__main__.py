"""`python -m supajobs_dev.corpus OUT --part heldout --count 120 [--seed 16]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .build import DEFAULT_SEED, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m supajobs_dev.corpus",
                                     description="Write generated Japanese receipts and truth.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--part", choices=("tune", "heldout"), default="tune")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    paths = build(args.out, args.part, args.count, args.seed)
    print(f"wrote {len(paths)} receipts of part {args.part} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
