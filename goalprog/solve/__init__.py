"""Layer 3, solving: backends (how an IR reaches a solver), strategies (one per goal-programming
method), achievement functions, normalisation, checks, diagnosis, Pareto repair and the Result. See
docs/architecture.md."""
