"""Compatibility re-export; the cluster code lives in supajobs.local.cluster."""

from supajobs.local.cluster import Cluster, create_cluster, destroy_cluster, free_port

__all__ = ["Cluster", "create_cluster", "destroy_cluster", "free_port"]
