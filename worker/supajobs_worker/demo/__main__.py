"""Entry point of `make demo` (python -m supajobs_worker.demo): the receipt pipeline.

The older queue-only tour is still there: python -m supajobs_worker.demo.queue_tour
"""

from supajobs_worker.demo.pipeline_tour import main

raise SystemExit(main())
