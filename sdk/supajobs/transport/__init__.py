"""Storage ports: the same RPC functions over PostgREST or a direct PostgreSQL connection."""

from supajobs.transport.base import Transport

__all__ = ["Transport"]
