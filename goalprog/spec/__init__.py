"""The specification layer: YAML loading with positions, schema validation, data binding.

Nothing here knows about solvers.
"""
