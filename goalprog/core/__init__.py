"""Layer 0, the core: the exception hierarchy, statuses, number and text formatting, size limits and
checked atomic output files. Imports nothing else of goalprog (see docs/architecture.md)."""
