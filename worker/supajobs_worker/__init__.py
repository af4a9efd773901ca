"""supajobs worker engine: webhook and listen workers, handler registry, leases, metrics and
the operators' dashboard. It knows nothing of receipts (that app is `supajobs_receipts`)."""
