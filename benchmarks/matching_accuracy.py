"""The receipt ↔ freee deal matcher on its generated corpus, tuning and held-out parts side by
side (`make bench-matching`; docs/freee.md, "Matching receipts to deals")."""

from __future__ import annotations

import sys

from supajobs_dev.matching.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
