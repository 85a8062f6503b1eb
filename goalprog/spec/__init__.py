"""Layer 1, the specification: YAML loading with positions, schema validation, data binding, the
overrides of ``--set``/``params``/``overrides``, and the solver names and options a file may use.

Nothing here imports a solver library (see docs/architecture.md).
"""
