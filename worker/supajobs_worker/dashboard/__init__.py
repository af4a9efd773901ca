"""The operators' dashboard: queue depth, throughput, dead letters, schedules, breakers."""

from supajobs_worker.dashboard.app import build_dashboard_app
from supajobs_worker.dashboard.overview import ViewSettings

__all__ = ["ViewSettings", "build_dashboard_app"]
