"""Entry point of `make demo` (python -m supajobs_worker.demo)."""

from supajobs_worker.demo.queue_tour import main

raise SystemExit(main())
