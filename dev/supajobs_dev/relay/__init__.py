"""The pg_net stand-in's relay: sends what net.http_post queued, after commit, and records
the responses in net._http_response, as pg_net's background worker does (dev/CI only)."""

from supajobs_dev.relay.cli import main
from supajobs_dev.relay.config import RelayConfig
from supajobs_dev.relay.loop import RelayError, run_relay

__all__ = ["RelayConfig", "RelayError", "main", "run_relay"]
