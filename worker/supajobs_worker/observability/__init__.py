"""Metrics (Prometheus), structured logs (JSON lines) and alert delivery."""
