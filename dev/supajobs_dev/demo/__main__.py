"""Entry point of `make demo` (python -m supajobs_dev.demo): the receipt pipeline.

The older queue-only tour is still there: python -m supajobs_dev.demo.queue_tour
"""

from supajobs_dev.demo.pipeline_tour import main

raise SystemExit(main())
