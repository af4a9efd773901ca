"""Finding and building the dashboard's extensions (entry-point group `supajobs.dashboard`).

A broken extension stops the dashboard from being built, with an error naming it: serving
the dashboard without pages an operator relies on would hide the fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points

from supajobs.errors import ConfigurationError
from supajobs_worker.dashboard.extension import (
    DashboardExtension,
    ExtensionContext,
    ExtensionFactory,
)

ENTRY_POINT_GROUP = "supajobs.dashboard"
Named = tuple[str, ExtensionFactory]


class ExtensionError(ConfigurationError):
    """A dashboard extension cannot be loaded or built."""


def installed() -> list[Named]:
    """Every factory the installed distributions declare, by entry-point name."""
    found: list[Named] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        label = f"{point.name!r} ({point.value})"
        try:
            factory = point.load()
        except Exception as exc:  # ImportError, or whatever the module raised on import
            raise ExtensionError(
                f"dashboard extension {label} cannot be loaded: {type(exc).__name__}: {exc}",
                hint=f"fix or uninstall the distribution declaring it in [{ENTRY_POINT_GROUP}]"
            ) from exc
        if not callable(factory):
            raise ExtensionError(f"dashboard extension {label} is not a callable "
                                 "(it must take an ExtensionContext and return an extension)")
        found.append((label, factory))
    return found


def explicit(factories: Iterable[ExtensionFactory]) -> list[Named]:
    return [(repr(getattr(f, "__qualname__", f)), f) for f in factories]


def build_all(named: Sequence[Named], ctx: ExtensionContext,
              reserved: set[str]) -> list[DashboardExtension]:
    """Each factory's extension; names must be unique and not a built-in path segment."""
    built: list[DashboardExtension] = []
    for label, factory in named:
        try:
            made = factory(ctx)
        except Exception as exc:
            raise ExtensionError(f"dashboard extension {label} failed to build: "
                                 f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(made, DashboardExtension):
            raise ExtensionError(f"dashboard extension {label} returned "
                                 f"{type(made).__name__}, not a DashboardExtension")
        if made.name in reserved:
            raise ExtensionError(f"dashboard extension {label} may not be called "
                                 f"{made.name!r}: the dashboard uses that path itself")
        if made.name in {b.name for b in built}:
            raise ExtensionError(f"dashboard extension {label}: a second extension is "
                                 f"called {made.name!r}")
        built.append(made)
    return built
