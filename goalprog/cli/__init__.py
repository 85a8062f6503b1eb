"""The ``goalprog`` command line: a thin layer over the Python API.

Exit codes (also in ``goalprog --help``):

====  ==================================================================
0     solved to proven optimality (every stage)
1     internal error (a bug: please report it with ``--debug`` output)
2     usage error (unknown option, missing file argument)
3     the problem file has errors (printed as file:line:col: message)
4     infeasible
5     unbounded, or infeasible-or-unbounded
6     stopped at a limit: feasible, not proven optimal
7     backend or solver error (not installed, rejected options, crashed)
====  ==================================================================

The command is put together from :mod:`goalprog.cli.common` (exit codes, the error guard, shared
options), :mod:`goalprog.cli.render` (tables, JSON and CSV of a result), :mod:`goalprog.cli.app`
(the click group, ``solve`` and ``validate``) and :mod:`goalprog.cli.commands` (one module per
further sub-command).  ``goalprog.cli:main`` is the console script; the names the sub-commands use
are importable from here.
"""

from __future__ import annotations

from .app import main, solve, validate
from .common import (DATA_ROOT, DATA_ROOT_HELP, EXIT_BAD_FILE, EXIT_CODES_HELP, EXIT_INFEASIBLE, EXIT_INTERNAL,
                     EXIT_NOT_PROVEN, EXIT_OK, EXIT_SOLVER, EXIT_UNBOUNDED, EXIT_USAGE, MAX_NONZEROS, VALIDATE_EXIT_HELP,
                     echo_err, fail, guard, solver_name, status_exit)
from .render import RESULT_TABLES, stdout_csv

__all__ = ["main", "solve", "validate", "guard", "fail", "echo_err", "status_exit", "solver_name", "stdout_csv",
           "DATA_ROOT", "DATA_ROOT_HELP", "MAX_NONZEROS", "RESULT_TABLES", "EXIT_CODES_HELP", "VALIDATE_EXIT_HELP",
           "EXIT_OK", "EXIT_INTERNAL", "EXIT_USAGE", "EXIT_BAD_FILE", "EXIT_INFEASIBLE", "EXIT_UNBOUNDED",
           "EXIT_NOT_PROVEN", "EXIT_SOLVER"]


def _register_commands() -> None:
    from .commands import register_all

    register_all(main)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
