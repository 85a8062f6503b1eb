"""Backends: how a compiled model reaches a solver (``pulp``, ``pyomo``, ``highs``)."""

from .base import Backend, Session, SolveOptions, StageRecord, backend_names, get_backend

__all__ = ["Backend", "Session", "SolveOptions", "StageRecord", "backend_names", "get_backend"]
