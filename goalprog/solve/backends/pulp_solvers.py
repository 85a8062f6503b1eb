"""Which PuLP class runs a solver name, with which arguments, and GLPK's own status line.

- :func:`pulp_class_name`: ``gurobi`` is PuLP's ``GUROBI`` (gurobipy, in this process); ``cplex``
  is ``CPLEX_PY`` (the ``cplex`` package) when it is installed, else ``CPLEX_CMD`` (the ``cplex``
  program); ``scip`` is ``SCIP_PY`` (PySCIPOpt) when installed, else ``SCIP_CMD``; every other
  alias as :data:`goalprog.spec.solvers.PULP_CLASS_NAMES` says.
- :func:`solver_arguments`: the arguments PuLP's own keywords do not cover: a MIP gap of 0 for
  Gurobi (``MIPGap``, ``MIPGapAbs``: PuLP drops a ``gapRel`` of 0) and CPLEX (absolute gap), and
  for GLPK the gap as ``--mipgap`` and the time limit in whole seconds (``glpsol --tmlim``
  refuses ``1.5``).
- :func:`glpk_class` / :func:`glpk_outcome`: PuLP's ``GLPK_CMD`` calls glpsol's ``INTEGER
  NON-OPTIMAL`` (a time-limit stop with a solution) "Optimal" and an unbounded LP "Undefined";
  the subclass keeps glpsol's own status line, which is mapped here.
"""

from __future__ import annotations

import importlib.util
import math

from ...core.status import SolutionStatus, Termination
from ...spec.solvers import PULP_CLASS_NAMES
from .native_status import ZERO_GAP

API_CLASSES = frozenset({"GUROBI", "CPLEX_PY", "SCIP_PY"})
"""PuLP classes that run the solver in this process and keep its model (``prob.solverModel``)."""


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def pulp_class_name(name: str) -> str:
    """The PuLP class name for goalprog's solver alias ``name`` (a class name is returned as given)."""
    low = name.lower()
    if low == "cplex" and _has("cplex"):
        return "CPLEX_PY"
    if low == "scip" and _has("pyscipopt"):
        return "SCIP_PY"
    return PULP_CLASS_NAMES.get(low, name)


def solver_arguments(cls_name: str, options, kwargs: dict) -> None:
    """Add to (and fix up) ``kwargs``, the PuLP solver class's keyword arguments, for ``cls_name``."""
    gap = float(options.mip_gap) if options.mip_gap is not None else 0.0
    if cls_name == "GUROBI":
        kwargs.update({**ZERO_GAP["gurobi"], "MIPGap": gap})
    elif cls_name == "CPLEX_PY":
        kwargs["mip.tolerances.absmipgap"] = 0.0
    elif cls_name == "GLPK_CMD":
        kwargs.pop("gapRel", None)
        kwargs["options"] = ["--mipgap", repr(gap)]
        if kwargs.get("timeLimit") is not None:
            kwargs["timeLimit"] = max(1, int(math.ceil(kwargs["timeLimit"])))


GLPK_INTEGER_PLAN = ("INTEGER OPTIMAL", "INTEGER NON-OPTIMAL")
"""glpsol's status lines of a MIP solve that returned a plan."""

SCIP_LP_DUALS = {"presolving/maxrounds": 0, "propagating/maxrounds": 0, "propagating/maxroundsroot": 0}
"""SCIP parameters under which the duals and reduced costs of an LP are valid (PySCIPOpt's advice:
no presolving, no propagation); set for LPs only, so that an LP level can be held by its optimal
face."""

_GLPK = {}


def glpk_class(pulp):
    """A subclass of PuLP's ``GLPK_CMD`` that keeps glpsol's status line (``self.glpk_status``)."""
    if "cls" not in _GLPK:
        class GLPK_CMD(pulp.GLPK_CMD):
            name = "GLPK_CMD"
            glpk_status = None
            glpk_duals = None

            def readsol(self, filename, filename2):
                with open(filename) as f:
                    for _ in range(4):
                        f.readline()
                    self.glpk_status = f.readline()[12:].strip()
                try:
                    out = super().readsol(filename, filename2)
                except AssertionError:  # PuLP's two status readings differ (an unbounded LP): no plan
                    return pulp.LpStatusUndefined, {}
                self.glpk_duals = glpk_duals(filename, filename2)
                return out

        _GLPK["cls"] = GLPK_CMD
    return _GLPK["cls"]


def glpk_outcome(status: str | None, time_limit: bool, gap_asked: bool, is_mip: bool):
    """(termination, solution status) of glpsol's status line ``status`` (``None``: no line read).

    ``OPTIMAL`` / ``INTEGER OPTIMAL``: optimal (glpsol's default MIP gap is 0, and goalprog passes
    ``--mipgap`` 0 too).  ``INTEGER NON-OPTIMAL``: a solution, stopped by the time limit (or the
    gap asked for).  ``INFEASIBLE (FINAL)``, ``INTEGER EMPTY``: infeasible; ``UNBOUNDED``:
    unbounded.  ``UNDEFINED`` / ``INTEGER UNDEFINED``: no solution; a time-limit stop when a limit
    was set, else what glpsol's presolver leaves undecided: infeasible or unbounded (an LP is
    re-solved without presolve to tell them apart; for a MIP glpsol cannot tell)."""
    if status in ("OPTIMAL", "INTEGER OPTIMAL"):
        return Termination.OPTIMAL, SolutionStatus.OPTIMAL
    if status == "INTEGER NON-OPTIMAL":
        stop = Termination.TIME_LIMIT if time_limit else (Termination.GAP_LIMIT if gap_asked else Termination.UNKNOWN)
        return stop, SolutionStatus.FEASIBLE
    if status in ("INFEASIBLE (FINAL)", "INTEGER EMPTY"):
        return Termination.INFEASIBLE, SolutionStatus.NONE
    if status == "UNBOUNDED":
        return Termination.UNBOUNDED, SolutionStatus.NONE
    if status in ("UNDEFINED", "INTEGER UNDEFINED"):
        return (Termination.TIME_LIMIT if time_limit else Termination.INFEASIBLE_OR_UNBOUNDED), SolutionStatus.NONE
    return Termination.UNKNOWN, SolutionStatus.NONE


def glpk_duals(out_file: str, sol_file: str) -> tuple[dict, dict] | None:
    """``(row duals, column reduced costs)`` by name from glpsol's printed solution (``-o``, for
    the names in order) and its raw one (``-w``, ``i``/``j`` lines: number, status, primal, dual;
    15 significant digits) after an LP solve; ``None`` for a MIP or a file not as expected.
    PuLP's ``GLPK_CMD`` reads neither, so an LP level could not be held by its optimal face."""
    try:
        with open(out_file) as f:
            f.readline()
            n_rows = int(f.readline().split()[1])
            n_cols = int(f.readline().split()[1])
            for _ in range(6):  # Non-zeros, Status, Objective, a blank line, the header and its rule
                f.readline()
            names = []
            for count, skip_after in ((n_rows, 3), (n_cols, 0)):
                for _ in range(count):
                    parts = f.readline().split()
                    if len(parts) == 2:  # a long name: the numbers are on the next line
                        f.readline()
                    names.append(parts[1])
                for _ in range(skip_after):
                    f.readline()
        rows, cols = {}, {}
        with open(sol_file) as f:
            for line in f:
                parts = line.split()
                if not parts or parts[0] == "c":
                    continue
                if parts[0] == "s" and parts[1] != "bas":
                    return None
                if parts[0] == "i":
                    rows[names[int(parts[1]) - 1]] = float(parts[4])
                elif parts[0] == "j":
                    cols[names[n_rows + int(parts[1]) - 1]] = float(parts[4])
        return rows, cols
    except (OSError, ValueError, IndexError):
        return None


def scip_class(pulp):
    """A subclass of PuLP's ``SCIP_PY`` that, on an LP (``lp_duals`` set), solves without presolve
    and propagation (:data:`SCIP_LP_DUALS`) and reads the duals and reduced costs PuLP leaves out."""
    if "scip" not in _GLPK:
        class SCIP_PY(pulp.SCIP_PY):
            name = "SCIP_PY"
            lp_duals = False

            def buildSolverModel(self, lp):
                super().buildSolverModel(lp)
                for key, value in getattr(self, "params", {}).items():  # PulpSession.set_option's
                    lp.solverModel.setParam(key, value)
                if self.lp_duals:
                    for key, value in SCIP_LP_DUALS.items():
                        lp.solverModel.setParam(key, value)

            def findSolutionValues(self, lp):
                status = super().findSolutionValues(lp)
                m = lp.solverModel
                if self.lp_duals and m.getStatus() == "optimal":
                    for var in lp._variables:
                        var.dj = m.getVarRedcost(var.solverVar)
                    for con in lp._constraints.values():
                        con.pi = m.getDualsolLinear(con.solverConstraint)
                return status

        _GLPK["scip"] = SCIP_PY
    return _GLPK["scip"]
