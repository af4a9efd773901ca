"""supajobs worker: webhook/listen worker and receipt pipeline handlers."""
