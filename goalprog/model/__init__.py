"""Layer 2, the model: the expression language (expr/), the compiler (spec + data -> IR) and the
frozen, backend-neutral linear model (ir.py). See docs/architecture.md."""
