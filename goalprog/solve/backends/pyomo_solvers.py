"""Pyomo's classic solver interfaces: which one runs a solver name, and the option names of each.

``gurobi``, ``cplex`` and ``scip`` run in this process through Pyomo's direct interfaces
(``gurobi_direct`` on gurobipy, ``cplex_direct`` on the ``cplex`` package, ``scip_direct`` on
PySCIPOpt) when their Python package is installed: full double precision, and the outcome is read
from the solver's own model (:mod:`goalprog.solve.backends.native_status`).  Without the package
the name runs the solver's program as before (``gurobi.sh``, ``cplex``, ``scip``), if installed.
"""

from __future__ import annotations

import importlib.util
import math

DIRECT = {"gurobi": ("gurobi_direct", "gurobipy"), "cplex": ("cplex_direct", "cplex"),
          "scip": ("scip_direct", "pyscipopt")}
"""Solver name -> (Pyomo's in-process interface, the Python package it needs)."""

LEGACY_OPTION_NAMES = {
    "cbc": {"time_limit": "sec", "mip_gap": "ratio", "threads": "threads"},
    "glpk": {"time_limit": "tmlim", "mip_gap": "mipgap"},
    "gurobi": {"time_limit": "TimeLimit", "mip_gap": "MIPGap", "threads": "Threads"},
    "cplex": {"time_limit": "timelimit", "mip_gap": "mip_tolerances_mipgap", "threads": "threads"},
    "scip": {"time_limit": "limits/time", "mip_gap": "limits/gap", "threads": "parallel/maxnthreads"},
    "appsi_highs": {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads"},
}
"""Option names of Pyomo's classic solver interfaces for goalprog's generic options, per solver
family (:func:`family`: ``gurobi_direct`` takes Gurobi's names, ``cplex_direct`` CPLEX's with
``_`` for ``.``, ``scip_direct`` SCIP's)."""

LEGACY_ZERO_GAP = {
    "cbc": {"ratio": 0, "allow": 0},
    "glpk": {"mipgap": 0},
    "gurobi": {"MIPGap": 0, "MIPGapAbs": 0},
    "cplex": {"mip_tolerances_mipgap": 0, "mip_tolerances_absmipgap": 0},
    "scip": {"limits/gap": 0, "limits/absgap": 0},
    "appsi_highs": {"mip_rel_gap": 0, "mip_abs_gap": 0},
}
"""The MIP gap options of 0 (relative and absolute, where the solver has both) given to Pyomo's
classic solver interfaces before the user's ``mip_gap`` and ``solver_options`` (which override
them): a stop at a solver's default gap is no proof (see :mod:`goalprog.solve.backends.gaps`)."""

TEXT_SOLVERS = frozenset({"cbc", "glpk", "scip", "cplex", "gurobi"})
"""Families whose shell interfaces read the plan back from a text file (glpsol writes 15
significant digits, CBC 8 or so): such a plan is polished (:mod:`~goalprog.solve.backends.polish`)."""


DUAL_SUFFIXES = frozenset({"gurobi", "cplex", "glpk", "cbc"})
"""Families whose classic Pyomo interfaces fill the ``dual`` and ``rc`` suffixes of an LP: with
them an optimal LP level is held by its optimal face (exact locks), as on the ``highs`` backend;
without (SCIP) by its lock row alone."""


LP_DUAL_OPTIONS = {"scip": {"presolving/maxrounds": 0, "propagating/maxrounds": 0, "propagating/maxroundsroot": 0}}
"""Options given to an LP so that its duals are valid: SCIP's without presolve and propagation
(read from the solver's model, Pyomo's ``scip_direct`` fills no suffixes)."""


def family(name: str) -> str:
    """The solver family of a Pyomo solver name: ``gurobi_direct`` / ``gurobi_persistent`` ->
    ``gurobi``, and so on; other names as given."""
    for suffix in ("_direct", "_persistent"):
        if name.endswith(suffix) and name[: -len(suffix)] in DIRECT:
            return name[: -len(suffix)]
    return name


def direct_name(name: str) -> str | None:
    """Pyomo's in-process interface for ``name`` (``gurobi`` -> ``gurobi_direct``) when its Python
    package is installed, else ``None``."""
    entry = DIRECT.get(name)
    if entry is None or importlib.util.find_spec(entry[1]) is None:
        return None
    return entry[0]


def option_value(fam: str, field: str, value):
    """``value`` of goalprog's generic option ``field`` in the form solver ``fam`` takes
    (glpsol's ``--tmlim`` takes whole seconds only: rounded up)."""
    if fam == "glpk" and field == "time_limit":
        return max(1, int(math.ceil(value)))
    return value


def problem_bounds(res) -> tuple[float | None, float | None]:
    """The (lower, upper) bounds of the objective a classic Pyomo result holds (``None`` where
    missing or infinite)."""
    try:
        problem = res.problem[0] if len(res.problem) else res.problem
        values = (getattr(problem, "lower_bound", None), getattr(problem, "upper_bound", None))
    except Exception:  # a result without a problem section
        return None, None
    out = []
    for v in values:
        try:
            v = float(v)
        except (TypeError, ValueError):
            v = None
        out.append(v if v is not None and math.isfinite(v) else None)
    return out[0], out[1]
