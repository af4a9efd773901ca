"""The receipt app: mail in, receipts read, named, filed, de-duplicated, reported, backed up.

Built on the supajobs engine: `pipeline` holds the job handlers (bound to the worker's
registry) and the calls to the `receipts` schema; the domain packages (`mail`, `reading`,
`organize`, `dedup`, `report`, `backup`, `storage`) know nothing of the queue, the SDK or the
worker. Run its handlers with `supajobs-worker listen --import supajobs_receipts.pipeline.jobs`.
"""
