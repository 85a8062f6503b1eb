"""What a problem file may ask of a solver: solver names and solver options (the trust boundary).

A problem file is untrusted input (see docs/security.md).  It may name a solver only from a fixed
list per backend (:data:`FILE_SOLVERS`): never a path, never anything a modelling library would
look up as an executable.  It may give solver options only from an allow-list per solver
(:func:`safe_options`): tolerances, limits, algorithm choices, presolve, threads, random seeds,
MIP gaps; never an option that reads or writes a file (a solution file, a log file, a model file,
a basis file, a temporary folder, an executable path).  Their values are typed: a finite number
or true/false, or for the few options that take words one word from a known-safe set
(:func:`option_words`), because some option *values* read or write files (CBC's
``-preprocess save`` writes ``presolved.mps`` into the current folder) and some solvers receive
options on a command line.

The command line (``--solver``, ``--option``, ``--solver-path``) and the Python API
(``solver=``, ``solver_options=``, ``solver_path=``) speak for the person running goalprog and are
not filtered by these lists, except that a solver *name* is never a path: an executable is named
only by ``--solver-path`` / ``solver_path=``.

A file's numbers for a solver are finite, and its thread counts are 1 to
:data:`MAX_FILE_THREADS`.  A solver *program* (``cbc``, ``glpsol``, ...) is looked up only in the
absolute folders of ``PATH`` (:func:`find_program`), never in the current folder.

This module imports no solver library.
"""

from __future__ import annotations

import math
import os
import re

# --- solver names a problem file may use, per backend (lower case) ---------------------------------

PULP_SOLVERS = ("highs", "highs_cmd", "cbc", "glpk", "scip", "fscip", "gurobi", "cplex", "copt", "xpress",
                "mosek", "choco", "mipcl")
"""PuLP solvers by goalprog's alias (``cbc`` is PuLP's ``PULP_CBC_CMD``, ``highs`` its ``HiGHS``)."""

PULP_CLASS_NAMES = {"highs": "HiGHS", "cbc": "PULP_CBC_CMD", "highs_cmd": "HiGHS_CMD", "glpk": "GLPK_CMD",
                    "gurobi": "GUROBI", "cplex": "CPLEX_CMD", "scip": "SCIP_CMD", "copt": "COPT", "xpress": "XPRESS",
                    "mosek": "MOSEK", "choco": "CHOCO_CMD", "mipcl": "MIPCL_CMD", "fscip": "FSCIP_CMD"}
"""goalprog's PuLP aliases -> PuLP solver class names."""

PULP_CMD_CLASSES = {"highs": "HiGHS_CMD", "highs_cmd": "HiGHS_CMD", "cbc": "COIN_CMD", "glpk": "GLPK_CMD",
                    "cplex": "CPLEX_CMD", "scip": "SCIP_CMD", "fscip": "FSCIP_CMD", "gurobi": "GUROBI_CMD",
                    "copt": "COPT_CMD", "xpress": "XPRESS_CMD", "choco": "CHOCO_CMD", "mipcl": "MIPCL_CMD"}
"""With ``solver_path``: the PuLP class that runs that executable, per solver alias."""

PYOMO_SOLVERS = ("highs", "cbc", "glpk", "scip", "gurobi", "gurobi_direct", "cplex", "cplex_direct", "xpress",
                 "xpress_direct", "mosek", "mosek_direct", "ipopt", "baron", "conopt", "knitroampl")
"""Pyomo solvers (``SolverFactory`` names; ``highs`` is Pyomo's persistent highspy interface)."""

PYOMO_SHELL_SOLVERS = ("cbc", "glpk", "scip", "gurobi", "cplex", "ipopt", "baron", "conopt", "knitroampl")
"""Pyomo solvers that run an executable; with ``solver_path`` any other name runs it as an AMPL
(``.nl``) solver through Pyomo's ``asl`` interface."""

FILE_SOLVERS = {"highs": ("highs",), "pulp": PULP_SOLVERS, "pyomo": PYOMO_SOLVERS}
"""Backend -> the solver names a problem file may give in ``solve.solver``."""

PYOMO_NAME_FORMS = ("appsi_", "_direct", "_persistent")
"""Prefixes and suffixes of Pyomo-only solver names (``appsi_highs``, ``gurobi_direct``, ...)."""


def backend_for_solver(name: str) -> str | None:
    """The backend that routes solver ``name`` when no backend is given: ``highs`` for HiGHS,
    ``pulp`` for PuLP's solvers (:data:`PULP_SOLVERS`, PuLP's class names), ``pyomo`` for Pyomo-only
    names (the rest of :data:`PYOMO_SOLVERS`, ``appsi_*``, ``*_direct``, ``*_persistent``); ``None``
    for a name neither list knows (Pyomo may still have it registered)."""
    if not isinstance(name, str) or is_path_like(name):
        return None
    low = name.lower()
    if low == "highs":
        return "highs"
    if low in PULP_SOLVERS or name in PULP_CLASS_NAMES.values():
        return "pulp"
    if low in PYOMO_SOLVERS or low.startswith(PYOMO_NAME_FORMS[0]) or low.endswith(PYOMO_NAME_FORMS[1:]):
        return "pyomo"
    return None


_EXECUTABLE_NAMES = {"cbc": "cbc", "glpsol": "glpk", "highs": "highs", "scip": "scip", "fscip": "fscip",
                     "cplex": "cplex", "gurobi_cl": "gurobi", "gurobi.sh": "gurobi", "ipopt": "ipopt",
                     "baron": "baron", "conopt": "conopt", "knitroampl": "knitroampl", "copt_cmd": "copt",
                     "mipcl": "mipcl", "optimizer": "xpress"}

# --- solver options a problem file may use -----------------------------------------------------------

HIGHS_OPTIONS = frozenset({
    "allow_unbounded_or_infeasible", "allowed_matrix_scale_factor", "dual_feasibility_tolerance",
    "dual_residual_tolerance", "infinite_bound", "infinite_cost", "ipm_iteration_limit", "ipm_optimality_tolerance",
    "ipx_dualize_strategy", "kkt_tolerance", "large_matrix_value", "small_matrix_value", "mip_abs_gap",
    "mip_detect_symmetry", "mip_feasibility_tolerance", "mip_heuristic_effort", "mip_heuristic_run_feasibility_jump",
    "mip_heuristic_run_rens", "mip_heuristic_run_rins", "mip_heuristic_run_root_reduced_cost",
    "mip_heuristic_run_shifting", "mip_heuristic_run_zi_round", "mip_lp_age_limit", "mip_max_improving_sols",
    "mip_max_leaves", "mip_max_nodes", "mip_max_stall_nodes", "mip_min_cliquetable_entries_for_parallelism",
    "mip_pool_age_limit", "mip_pool_soft_limit", "mip_pscost_minreliable", "mip_rel_gap", "objective_bound",
    "objective_target", "optimality_tolerance", "parallel", "pdlp_iteration_limit", "pdlp_optimality_tolerance",
    "pdlp_scaling_mode", "presolve", "primal_feasibility_tolerance", "primal_residual_tolerance", "random_seed",
    "run_crossover", "simplex_crash_strategy", "simplex_dual_edge_weight_strategy", "simplex_dualize_strategy",
    "simplex_iteration_limit", "simplex_max_concurrency", "simplex_min_concurrency", "simplex_permute_strategy",
    "simplex_price_strategy", "simplex_primal_edge_weight_strategy", "simplex_scale_strategy", "simplex_strategy",
    "simplex_update_limit", "solver", "threads", "time_limit", "user_bound_scale", "user_objective_scale",
})
"""HiGHS options that neither read nor write a file (tolerances, limits, algorithms, presolve, seeds)."""

# PuLP passes options as keyword arguments of the solver class (HiGHS: as HiGHS options)
_PULP_CMD_OPTIONS = frozenset({"timeLimit", "gapRel", "gapAbs", "threads", "mip"})
_PULP_OPTIONS = {
    "highs": HIGHS_OPTIONS | {"timeLimit", "gapRel", "gapAbs", "mip"},
    "highs_cmd": _PULP_CMD_OPTIONS,
    "cbc": _PULP_CMD_OPTIONS | {"presolve", "cuts", "strong", "maxNodes", "timeMode"},
    "glpk": frozenset({"timeLimit", "mip"}),
}

_GUROBI = frozenset({"TimeLimit", "MIPGap", "MIPGapAbs", "Threads", "Presolve", "Method", "Seed", "NodeLimit",
                     "IterationLimit", "FeasibilityTol", "OptimalityTol", "IntFeasTol", "Cuts", "Heuristics",
                     "MIPFocus", "NumericFocus", "ScaleFlag", "Crossover", "SolutionLimit"})
_CPLEX = frozenset({"timelimit", "mip_tolerances_mipgap", "mip_tolerances_absmipgap", "threads", "randomseed",
                    "lpmethod", "preprocessing_presolve", "mip_limits_nodes", "simplex_tolerances_feasibility",
                    "simplex_tolerances_optimality", "emphasis_mip"})
# Pyomo's classic interfaces pass options by the solver's own names (on its command line for shells)
_PYOMO_OPTIONS = {
    "highs": HIGHS_OPTIONS,
    "cbc": frozenset({"sec", "seconds", "ratio", "ratioGap", "allowableGap", "threads", "maxNodes", "maxSolutions",
                      "presolve", "cuts", "preprocess", "strong", "heuristics", "randomSeed", "randomCbcSeed",
                      "primalTolerance", "dualTolerance", "integerTolerance"}),
    "glpk": frozenset({"tmlim", "mipgap", "memlim"}),
    "scip": frozenset({"limits/time", "limits/gap", "limits/absgap", "limits/nodes", "limits/solutions",
                       "parallel/maxnthreads", "randomization/randomseedshift", "presolving/maxrounds",
                       "numerics/feastol"}),
    "gurobi": _GUROBI, "gurobi_direct": _GUROBI,
    "cplex": _CPLEX, "cplex_direct": _CPLEX,
    "ipopt": frozenset({"tol", "max_iter", "max_cpu_time", "acceptable_tol", "constr_viol_tol", "mu_strategy",
                        "hessian_approximation"}),
}

# --- the values a problem file may give an option --------------------------------------------------
#
# An option a file may name takes a finite number or true/false, unless it is listed here: then it
# takes one of these words (compared without case) and, when the list holds "on" and "off", true/false.
# Never free text: some solvers have option values that read or write files (CBC's ``-preprocess save``
# writes presolved.mps, ``stopaftersaving`` a .mps beside the model, ``-presolve file`` the model).
_ON_OFF = frozenset({"on", "off"})
_HIGHS_WORDS = {"presolve": frozenset({"off", "choose", "on"}), "parallel": frozenset({"off", "choose", "on"}),
                "run_crossover": frozenset({"off", "choose", "on"}),
                "solver": frozenset({"choose", "simplex", "ipm", "ipx", "pdlp", "qpasm"})}
_PULP_WORDS = {"highs": _HIGHS_WORDS, "cbc": {"timeMode": frozenset({"elapsed", "cpu"})}}
_PYOMO_WORDS = {
    "highs": _HIGHS_WORDS,
    # not preprocess save / stopaftersaving (write .mps files), not presolve file (writes the model)
    "cbc": {"presolve": frozenset({"on", "off", "more"}),
            "cuts": frozenset({"off", "on", "root", "ifmove", "forceon"}),
            "preprocess": frozenset({"off", "on", "equal", "equalall", "sos", "trysos", "strategy", "aggregate",
                                     "forcesos"}),
            "heuristics": _ON_OFF},
    "ipopt": {"mu_strategy": frozenset({"monotone", "adaptive"}),
              "hessian_approximation": frozenset({"exact", "limited-memory"})},
}
_NUMERAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")


def option_words(backend: str | None, solver: str | None) -> dict[str, frozenset]:
    """Option name -> the words a problem file may give it, for ``solver`` on ``backend``
    (``None``: any backend's).  An allowed option not in this mapping takes only a finite number
    or true/false from a file."""
    solver = (solver or "highs").lower()
    if backend == "highs" or solver == "highs" and backend is None:
        return dict(_HIGHS_WORDS)
    if backend == "pulp":
        alias = {v.lower(): k for k, v in PULP_CLASS_NAMES.items()}.get(solver, solver)
        return dict(_PULP_WORDS.get(alias, {}))
    if backend == "pyomo":
        return dict(_PYOMO_WORDS.get(solver, {}))
    out: dict[str, frozenset] = {}
    for words in (option_words("pulp", solver), option_words("pyomo", solver)):
        for name, values in words.items():
            out[name] = out.get(name, frozenset()) | values
    return out


def _value_problem(key: str, value, words: frozenset | None) -> tuple[str, str] | None:
    """``(message, hint)`` when a file's ``value`` for the allowed option ``key`` is not one it may
    give (see :func:`option_words`), else ``None``."""
    hint = f"pass it on the command line if you trust it: --option {short(key)}=VALUE"
    if words is not None:
        if isinstance(value, str) and value.lower() in words or isinstance(value, bool) and _ON_OFF <= words:
            return None
        return (f"the solver option {short(key)!r} takes one of {', '.join(sorted(words))} in a problem file "
                f"(got {short(repr(value))}); other values may make the solver read or write files", hint)
    if isinstance(value, str) and not (_NUMERAL.match(value) and math.isfinite(float(value))):
        return (f"the solver option {short(key)!r} takes a number or true/false in a problem file "
                f"(got {short(repr(value))})", hint)
    return None


_EXAMPLES = ("time_limit", "mip_rel_gap", "presolve", "threads", "random_seed", "solver", "mip_max_nodes",
             "primal_feasibility_tolerance", "timeLimit", "gapRel", "sec", "ratio", "tmlim", "mipgap", "TimeLimit",
             "MIPGap", "timelimit", "limits/time", "tol", "max_iter")

MAX_FILE_THREADS = 64
"""The most threads a problem file may ask for (``solve.threads`` and every thread or concurrency
option of :data:`THREAD_OPTIONS`).  A fixed number, so that a file valid on one machine is valid on
every machine; each thread a solver starts costs time and memory (HiGHS takes seconds to start a
thousand).  ``--threads`` (up to 1024) and ``--option`` / ``solver_options=`` are not capped."""

THREAD_OPTIONS = frozenset({"threads", "Threads", "simplex_max_concurrency", "simplex_min_concurrency",
                            "parallel/maxnthreads"})
"""Option names (of any solver on the allow-lists) whose value is a number of threads."""

SAFE_WORD = re.compile(r"[A-Za-z0-9_.+-]{1,64}\Z")
"""A text option value from a file: one word of letters, digits, ``_ . + -`` (at most 64)."""


def is_path_like(name: str) -> bool:
    """True when ``name`` could name a file rather than a solver (a path separator, a leading dot,
    a drive or a ``solver:subsolver`` form that Pyomo would run as an executable)."""
    return (not name or "/" in name or "\\" in name or name.startswith(("~", ".")) or ":" in name
            or (os.altsep is not None and os.altsep in name))


def file_solver_names(backend: str | None) -> tuple[str, ...]:
    """The solver names a problem file may give for ``backend`` (``None``: any backend's)."""
    if backend is None:
        return tuple(dict.fromkeys(n for names in FILE_SOLVERS.values() for n in names))
    return FILE_SOLVERS.get(backend, ())


def file_solver_known(name: str, backend: str | None) -> bool:
    """Whether a problem file may ask ``backend`` (``None``: some backend) for solver ``name``."""
    if not isinstance(name, str) or is_path_like(name):
        return False
    low = name.lower()
    if low in file_solver_names(backend):
        return True
    # PuLP's own class names for the listed solvers (PULP_CBC_CMD, HiGHS, ...)
    return backend in (None, "pulp") and name in PULP_CLASS_NAMES.values()


def safe_options(backend: str | None, solver: str | None) -> frozenset:
    """The option names a problem file may pass to ``solver`` on ``backend`` (``None``: any backend's
    list for that solver; ``solver`` ``None`` is HiGHS).  Empty for a solver without a list."""
    solver = (solver or "highs").lower()
    if backend == "highs" or solver == "highs" and backend is None:
        return HIGHS_OPTIONS | (_PULP_OPTIONS["highs"] if backend is None else frozenset())
    if backend == "pulp":
        alias = {v.lower(): k for k, v in PULP_CLASS_NAMES.items()}.get(solver, solver)
        return _PULP_OPTIONS.get(alias, _PULP_CMD_OPTIONS)
    if backend == "pyomo":
        return _PYOMO_OPTIONS.get(solver, frozenset())
    return safe_options("pulp", solver) | safe_options("pyomo", solver)


def option_problems(options: dict, backend: str | None, solver: str | None) -> list[tuple[str, str, str]]:
    """``(option name, message, hint)`` for each file option not allowed for ``solver`` on ``backend``."""
    allowed = safe_options(backend, solver)
    words = option_words(backend, solver)
    shown = (solver or "highs")
    where = f"the solver {shown!r}" + (f" on the {backend} backend" if backend else "")
    elsewhere = _all_safe_options()
    out = []
    for key, value in options.items():
        if key not in allowed:
            some = [n for n in _EXAMPLES if n in allowed] or sorted(allowed)
            some = ", ".join(some[:8]) + (", ... (docs/format.md lists them)" if len(allowed) > len(some[:8]) else "")
            if allowed and key in elsewhere:  # a harmless option, but of another solver
                out.append((key, f"{short(key)!r} is not an option of {where} (it takes {some})",
                            "check the spelling, or name the solver the option belongs to (solve.solver, "
                            "--solver)"))
                continue
            out.append((key, f"the solver option {short(key)!r} is not allowed in a problem file for "
                             f"{where}: only options that neither read nor write files are "
                             f"({some})" if allowed else
                        f"the solver option {short(key)!r} is not allowed in a problem file: goalprog has no "
                        f"list of safe options for the solver {shown!r}",
                        f"an option you trust can be passed on the command line: --option {short(key)}=VALUE "
                        f"(or solver_options= in Python)"))
        elif key in THREAD_OPTIONS and (isinstance(value, bool) or not isinstance(value, int)
                                        or not 1 <= value <= MAX_FILE_THREADS):
            out.append((key, f"the solver option {short(key)!r} is a number of threads: a problem file may ask for "
                             f"a whole number from 1 to {MAX_FILE_THREADS} (got {short(repr(value))})",
                        f"leave it out of the file for the solver's default; for more, give it on the command line: "
                        f"--option {short(key)}=N"))
        elif isinstance(value, float) and not math.isfinite(value):
            out.append((key, f"the value of the solver option {short(key)!r} must be a finite number "
                             f"(got {value!r})", "leave the option out for the solver's default"))
        elif isinstance(value, str) and not SAFE_WORD.match(value):
            out.append((key, f"the value of the solver option {short(key)!r} must be a number, true/false or one "
                             f"word of letters, digits and _ . + - (got {short(value)!r})",
                        f"pass it on the command line if you trust it: --option {short(key)}=VALUE"))
        elif (problem := _value_problem(key, value, words.get(key))) is not None:
            out.append((key, *problem))
    return out


def _all_safe_options() -> frozenset:
    """Every option name some solver may take from a problem file."""
    out = set(HIGHS_OPTIONS)
    for table in (_PULP_OPTIONS, _PYOMO_OPTIONS):
        for names in table.values():
            out |= names
    return frozenset(out)


def short(text, limit: int = 80) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "..."


def solver_for_executable(path: str) -> str | None:
    """The solver an executable's file name suggests (``/usr/bin/cbc`` -> ``cbc``), else ``None``."""
    base = os.path.basename(path).lower()
    if base.endswith(".exe"):
        base = base[:-4]
    return _EXECUTABLE_NAMES.get(base)


# --- finding a solver program -----------------------------------------------------------------------

def program_dirs(extra=()) -> list[str]:
    """The folders a solver program is looked up in: the absolute entries of ``PATH`` (then the
    absolute folders of ``extra``), in order, without repeats.  Empty, ``.`` and other relative
    entries of ``PATH`` are dropped: they mean the current folder, which may be a folder someone
    mailed you (see docs/security.md)."""
    entries = (os.environ.get("PATH") or "").split(os.pathsep) + list(extra)
    return list(dict.fromkeys(os.path.normpath(d) for d in entries if d and os.path.isabs(d)))


def find_program(name: str, extra=()) -> str | None:
    """The absolute path of the executable ``name`` (a bare file name, e.g. ``cbc``) in
    :func:`program_dirs`, else ``None``.  Never looks in the current folder; a name with a folder
    part is never looked up (``None``)."""
    if not isinstance(name, str) or not name or os.path.basename(name) != name or name in (".", ".."):
        return None
    if os.altsep is not None and os.altsep in name:
        return None
    # not shutil.which: on Windows, Python before 3.12 searches the current folder even with path=
    names = [name]
    if os.name == "nt":
        exts = [e for e in (os.environ.get("PATHEXT") or ".COM;.EXE;.BAT;.CMD").split(os.pathsep) if e]
        if not any(name.lower().endswith(e.lower()) for e in exts):
            names = [name + e for e in exts]
    for folder in program_dirs(extra):
        for n in names:
            candidate = os.path.join(folder, n)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None
