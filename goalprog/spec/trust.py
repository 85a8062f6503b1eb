"""What a problem file may ask of a solver, checked on its validated ``solve:`` section.

A problem file is untrusted input (docs/security.md): it may name only a known solver of its
backend, and only solver options that neither read nor write files (the allow-lists are in
:mod:`goalprog.spec.solvers`).  The command line and the Python API may ask for more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import IssueCollector, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Document
    from .models import SolveSpec


def check_solve_trust(solve: SolveSpec, doc: Document, backend: str | None, solver: str | None) -> None:
    """Refuse what a problem file may not ask of a solver (it is untrusted input; see
    :mod:`goalprog.spec.solvers`): a ``solve.solver`` that is not a known solver name of
    ``backend`` (``None``: of any backend), and ``solve.options`` outside the allow-list of
    ``solver`` on ``backend`` (options that read or write files, executable paths).

    Raises :class:`~goalprog.core.errors.SchemaError` located at the offending key.
    """
    from .solvers import file_solver_known, file_solver_names, option_problems, short

    issues = IssueCollector(SchemaError)
    if solve.solver is not None and not file_solver_known(solve.solver, solve.backend):
        names = file_solver_names(solve.backend)
        issues.add(f"{short(solve.solver)!r} is not a solver name"
                   + (f" of the {solve.backend} backend" if solve.backend else "")
                   + f"; a problem file may name one of: {', '.join(names)}",
                   doc.location(("solve", "solver")),
                   hint="a solver executable is named on the command line only: --solver-path PATH "
                        "(or solver_path= in Python)")
    elif solve.options:
        for key, message, hint in option_problems(solve.options, backend, solver):
            issues.add(message, doc.location(("solve", "options", key), key=True), hint=hint)
    issues.raise_if_any()
