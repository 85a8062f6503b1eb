"""Layer 5, analyses that drive the API: the native lexicographic cross-check and parameter sweeps.
See docs/architecture.md."""
