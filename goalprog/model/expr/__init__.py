"""Expressions: a strict parser (no eval) and the vectorised evaluation of parsed trees."""

from .parser import parse, parse_for

__all__ = ["parse", "parse_for"]
