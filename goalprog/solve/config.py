"""One solve configuration: :class:`SolveConfig`, every setting of a solve, resolved in one place.

A solve's settings come in layers, each overriding the one before::

    defaults  <  the problem file's ``solve:`` section  <  arguments (Problem.solve keywords, CLI flags)

:meth:`SolveConfig.resolve` is the one place that layers them and checks every argument (raising
:class:`~goalprog.core.errors.ArgumentError`); :meth:`goalprog.Problem.solve`, ``goalprog solve``,
:mod:`goalprog.output.export` and the sweeps (:mod:`goalprog.analysis.sweep`) all go through it.
A strategy receives what it needs of the result: :meth:`SolveConfig.solve_options` (the
backend's :class:`~goalprog.solve.backends.base.SolveOptions`) and :meth:`SolveConfig.settings`
(:class:`~goalprog.solve.strategies.common.Settings`, with the lock as a
:class:`~goalprog.solve.strategies.common.LockTolerance`).

Adding a solve option: a field of :class:`SolveConfig`, its keyword in :data:`KEYWORDS` (or
:data:`LOCK_KEYWORDS` for a field of the lock), its check in :func:`check_arguments` and its layering
line in :meth:`SolveConfig.resolve`, all in this module; then the CLI flag (``goalprog/cli/app.py``)
and the docs.  :meth:`goalprog.Problem.solve` takes it at once (its keywords are :data:`KEYWORDS`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..core.errors import ArgumentError, BackendError, Issue
from .strategies.common import LockTolerance

DEFAULT_BACKEND = "highs"
DEFAULT_SOLVER = "highs"
IPM_COLUMNS = 5_000  # one-stage LPs at least this large default to interior point (docs/performance.md)
IPM_CHAIN_COLUMNS = 5_000  # preemptive LP chains at least this large (solver HiGHS) use interior point

LOCK_KEYWORDS: Mapping[str, str] = MappingProxyType({
    "lock_abs_tol": "abs_tol", "lock_rel_tol": "rel_tol", "lock_granularity": "granularity", "lock_style": "style",
})
"""Keyword -> field of the lock (:class:`~goalprog.solve.strategies.common.LockTolerance`, and of the
file's ``solve.lock``, which has the same field names)."""

KEYWORDS: Mapping[str, str] = MappingProxyType({
    "method": "method", "backend": "backend", "solver": "solver",
    "time_limit": "time_limit", "mip_gap": "mip_gap", "threads": "threads",
    "lock_abs_tol": "lock.abs_tol", "lock_rel_tol": "lock.rel_tol",
    "verbose": "verbose", "solver_options": "solver_options", "accept_feasible": "accept_feasible", "lam": "lam",
    "pareto": "pareto", "lock_granularity": "lock.granularity", "algorithm": "algorithm",
    "lock_style": "lock.style", "progress": "progress", "solver_path": "solver_path", "rates": "rates",
    "alternatives": "alternatives",
    "sensitivity": "sensitivity",
    "sensitivity_ranges": "sensitivity_ranges",
})
"""Every keyword of :meth:`goalprog.Problem.solve` (in its order) -> the :class:`SolveConfig` field it
sets (``lock.x``: field ``x`` of the lock)."""
assert all(f"lock.{f}" == KEYWORDS[k] for k, f in LOCK_KEYWORDS.items())

POSITIONAL = ("method", "backend", "solver")
"""The keywords :meth:`goalprog.Problem.solve` also takes by position, in this order."""


class UnknownSolveArgument(ArgumentError, TypeError):
    """A keyword :meth:`goalprog.Problem.solve` does not take (also a :class:`TypeError`, as Python
    raises for an unexpected keyword argument)."""


@dataclass(frozen=True)
class SolveConfig:
    """Every setting of one solve, resolved (see :meth:`resolve`); frozen.

    ``method``: the method's own name (``weighted``, ``preemptive``, ``chebyshev``, ``extended``;
    aliases resolved).  ``backend``, ``solver``: names.  ``solver_path``: the resolved executable
    or ``None``.  ``time_limit`` (seconds per stage), ``mip_gap`` (relative), ``threads``,
    ``algorithm`` (HiGHS: ``choose``, ``simplex``, ``ipm``, ``pdlp``, or ``None``: HiGHS chooses),
    ``verbose``, ``solver_options`` (read-only name -> value, the file's updated by the
    arguments'), ``lock`` (:class:`~goalprog.solve.strategies.common.LockTolerance`),
    ``accept_feasible``, ``lam`` (extended GP), ``levels`` (read-only: priority level -> the
    lambda of its achievement function, from the file's ``solve.levels``), ``pareto`` (``off``,
    ``check``, ``restore``), ``progress`` (a callable ``(stage index, number of stages,
    StageResult)`` or ``None``), ``rates`` (preemptive trade-off rates: ``auto``, ``on``, ``off``;
    see :mod:`goalprog.solve.tradeoff`).
    """

    method: str = "weighted"
    backend: str = DEFAULT_BACKEND
    solver: str = DEFAULT_SOLVER
    solver_path: str | None = None
    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    algorithm: str | None = None
    verbose: bool = False
    solver_options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lock: LockTolerance = LockTolerance()
    accept_feasible: bool = False
    lam: float = 0.5
    levels: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    pareto: str = "off"
    progress: Callable | None = None
    rates: str = "auto"
    alternatives: bool = False
    """Whether the solve also computes the plan's alternative optima (:mod:`goalprog.solve.alternatives`)."""
    sensitivity: bool = False
    """After solving: the plan's sensitivity (constraint and target rates, weight ranges;
    :mod:`goalprog.solve.sensitivity`)."""
    sensitivity_ranges: str = "auto"
    """How the sensitivity's target and weight ranges are found: ``exact``, ``basis`` (HiGHS's basis
    ranges: inner bounds), ``auto`` (:func:`goalprog.solve.sensitivity.ranges_mode`)."""

    @classmethod
    def resolve(cls, file=None, *, model=None, doc=None, **given) -> "SolveConfig":
        """The configuration of a solve: defaults < ``file`` < ``given``.

        ``file``: the problem file's ``solve:`` section (a :class:`~goalprog.spec.schema.SolveSpec`;
        ``None``: the defaults).  ``model``: the :class:`~goalprog.model.ir.LinearModel` to solve,
        for the defaults that depend on it (the method by priorities, interior point for large
        LPs); without it the method defaults to ``weighted`` and HiGHS chooses the algorithm.
        ``doc``: the document ``file`` came from; when given, the file's solver options are
        checked for the solver used (:func:`~goalprog.spec.schema.check_solve_trust`).
        ``given``: the keywords of :meth:`goalprog.Problem.solve` (:data:`KEYWORDS`); ``None``
        means "not given".

        Raises :class:`UnknownSolveArgument` (an :class:`~goalprog.core.errors.ArgumentError`) for
        a keyword not in :data:`KEYWORDS`, :class:`~goalprog.core.errors.ArgumentError` for an
        invalid value (every one found, at once) or a ``solver_path`` that is not an executable
        file (or with the ``highs`` backend), :class:`~goalprog.core.errors.BackendError` for an
        unknown or unusable backend, a solver other than HiGHS on the ``highs`` backend, or an
        ``algorithm`` with a solver other than HiGHS, and
        :class:`~goalprog.core.errors.SchemaError` when ``doc`` is given and the file's solver
        options are not allowed for the solver used.
        """
        unknown = [k for k in given if k not in KEYWORDS]
        if unknown:
            from ..core.errors import did_you_mean

            issues = []
            for k in unknown:
                near = did_you_mean(k, list(KEYWORDS))
                issues.append(Issue(f"solve() got an unknown argument {k!r}" + (f"; {near}" if near else ""),
                                    hint="the arguments are " + ", ".join(KEYWORDS)))
            raise UnknownSolveArgument(issues)
        check_arguments(given)
        if file is None:
            from ..spec.schema import SolveSpec

            file = SolveSpec()

        def pick(name, from_file):
            v = given.get(name)
            return v if v is not None else from_file

        from .strategies import ALIASES

        method = pick("method", file.method) or default_method(model)
        method = ALIASES.get(method, method)
        backend = pick("backend", file.backend)
        solver = pick("solver", file.solver)
        if backend is None and solver is not None:
            backend = route_backend(solver)  # a solver without a backend: the backend that has it
        backend = backend or DEFAULT_BACKEND
        exe = executable(given.get("solver_path"), backend)
        from .backends.base import get_backend

        get_backend(backend)  # an unknown or unusable backend is named before the solver
        if solver is None and exe is not None:
            from ..spec.solvers import solver_for_executable

            solver = solver_for_executable(exe)
        solver = solver or DEFAULT_SOLVER
        if backend == "highs" and str(solver).lower() != "highs":
            raise no_route(solver, backend, file, doc, from_file=given.get("solver") is None)
        if file.options and doc is not None:
            # the file's options were checked for the file's solver; check them for the one used
            from ..spec.schema import check_solve_trust

            check_solve_trust(file, doc, backend, solver)
        algorithm = pick("algorithm", file.algorithm)
        if algorithm is None and model is not None:
            algorithm = default_algorithm(model, method, solver)
        if algorithm and algorithm != "choose" and solver != "highs":
            raise BackendError(f"algorithm={algorithm!r} is a HiGHS setting; the solver here is {solver!r}",
                               hint="pass the solver's own option with --option NAME=VALUE instead")
        from .strategies.common import level_lams

        return cls(
            method=method, backend=backend, solver=solver, solver_path=exe,
            time_limit=pick("time_limit", file.time_limit), mip_gap=pick("mip_gap", file.mip_gap),
            threads=pick("threads", file.threads), algorithm=algorithm,
            verbose=bool(pick("verbose", file.verbose)),
            solver_options=MappingProxyType({**file.options, **(given.get("solver_options") or {})}),
            lock=resolve_lock(file.lock, **{k: given.get(k) for k in LOCK_KEYWORDS}),
            accept_feasible=bool(pick("accept_feasible", file.accept_feasible)),
            lam=pick("lam", file.lambda_), levels=MappingProxyType(level_lams(file.levels)),
            pareto=pick("pareto", file.pareto), progress=given.get("progress"),
            rates=pick("rates", getattr(file, "rates", "auto")),
            alternatives=bool(given.get("alternatives") or False),
            sensitivity=bool(pick("sensitivity", getattr(file, "sensitivity", False))),
            sensitivity_ranges=given.get("sensitivity_ranges") or "auto",
        )

    def solve_options(self):
        """What every stage solve gets: a :class:`~goalprog.solve.backends.base.SolveOptions`
        (the algorithm, other than ``choose``, as HiGHS's ``solver`` option, below an explicit one)."""
        from .backends.base import SolveOptions

        options = dict(self.solver_options)
        if self.algorithm and self.algorithm != "choose":
            options = {"solver": self.algorithm, **options}
        return SolveOptions(solver=self.solver, time_limit=self.time_limit, mip_gap=self.mip_gap, threads=self.threads,
                            verbose=self.verbose, solver_options=options, solver_path=self.solver_path)

    def settings(self):
        """What a strategy needs beyond the model and the solver options: a
        :class:`~goalprog.solve.strategies.common.Settings`."""
        from .strategies.common import Settings

        return Settings(self.lock, self.accept_feasible, self.lam, dict(self.levels), self.pareto, self.progress,
                        rates=self.rates)


def route_backend(solver) -> str:
    """The backend for ``solver`` when no backend is given (neither in the file nor as an argument):
    :func:`~goalprog.spec.solvers.backend_for_solver`, else ``pyomo`` for a name Pyomo's
    ``SolverFactory`` has registered.  Raises :class:`~goalprog.core.errors.BackendError` (with a
    did-you-mean) for a name no backend knows."""
    from ..spec.solvers import backend_for_solver, file_solver_names, is_path_like, short

    found = backend_for_solver(solver)
    if found is not None:
        return found
    if isinstance(solver, str) and not is_path_like(solver) and pyomo_has(solver):
        return "pyomo"
    from ..core.errors import did_you_mean

    near = did_you_mean(solver, file_solver_names(None))
    raise BackendError(f"no backend knows the solver {short(solver)!r}" + (f"; {near}" if near else ""),
                       hint="solvers: " + ", ".join(file_solver_names(None))
                            + " (or a Pyomo solver name with --backend pyomo)")


def pyomo_has(name: str) -> bool:
    """Whether Pyomo is installed and its ``SolverFactory`` has ``name`` registered."""
    try:
        from pyomo.opt import SolverFactory
    except ImportError:
        return False
    return name in set(SolverFactory)


def no_route(solver, backend: str, file, doc, *, from_file: bool) -> BackendError:
    """The error for a ``solver`` that the (given) ``backend`` has no route to: a did-you-mean for
    a name no backend knows first; located at the file's ``solve.solver`` key when the solver came
    from the file (``doc`` given)."""
    from ..core.errors import did_you_mean
    from ..spec.solvers import backend_for_solver, file_solver_names, short

    shown = short(solver)
    route = backend_for_solver(solver)
    near = did_you_mean(solver, file_solver_names(None)) if route is None else None
    message = (f"unknown solver {shown!r}; {near}; and " if near else "") + \
        f"the {backend} backend solves with HiGHS only, not {shown!r}"
    hint = (f"use --backend {route} for {shown} (backend='{route}' in Python), or leave the backend out: "
            f"goalprog then picks the backend that has the solver" if route not in (None, "highs") else
            "use --backend pulp or --backend pyomo for other solvers (backend='pulp' in Python)")
    location = None
    if from_file and doc is not None and getattr(file, "solver", None) is not None:
        try:
            location = doc.location(("solve", "solver"))
        except Exception:  # a document without that key
            location = None
    if location is not None:
        return BackendError(Issue(message, location, hint=hint))
    return BackendError(message, hint=hint)


def resolve_lock(file_lock=None, **given) -> LockTolerance:
    """The preemptive lock: defaults < the file's ``solve.lock`` (``file_lock``, a
    :class:`~goalprog.spec.schema.LockSpec`) < ``given`` (the ``lock_*`` keywords of
    :data:`LOCK_KEYWORDS`; ``None``: not given).  Raises
    :class:`~goalprog.core.errors.ArgumentError` for an invalid or unknown keyword."""
    unknown = [k for k in given if k not in LOCK_KEYWORDS]
    if unknown:
        raise UnknownSolveArgument([Issue(f"unknown lock argument {k!r}", hint="the lock arguments are "
                                          + ", ".join(LOCK_KEYWORDS)) for k in unknown])
    check_arguments(given)
    base = file_lock if file_lock is not None else LockTolerance()
    values = {}
    for keyword, name in LOCK_KEYWORDS.items():
        v = given.get(keyword)
        values[name] = v if v is not None else getattr(base, name)
    return LockTolerance(**values)


def default_method(model) -> str:
    """``meta`` when ``model`` has meta-goals, else ``preemptive`` when any goal or objective of
    ``model`` has a priority, else ``weighted`` (also without a model)."""
    if model is None:
        return "weighted"
    if getattr(model, "meta_goals", ()):
        return "meta"
    return "preemptive" if any(p is not None for p in model.priorities()) else "weighted"


def default_algorithm(model, method: str, solver: str) -> str | None:
    """``ipm`` (interior point with crossover) for a large LP solved by HiGHS, else ``None``
    (HiGHS chooses); measured in docs/performance.md."""
    if solver != "highs" or model.is_mip:
        return None
    if method in ("weighted", "chebyshev", "extended") and model.n_cols >= IPM_COLUMNS:
        return "ipm"  # measured: 1.4x (6k columns) to 8x (200k) less time with interior point
    if method == "preemptive" and model.n_cols >= IPM_CHAIN_COLUMNS:
        # every level by interior point + crossover (presolved, on the face-restricted model with the
        # highs backend) beats re-solving warm by simplex from the previous basis, on every backend
        return "ipm"
    return None


def check_arguments(given: Mapping[str, Any]) -> None:
    """Check the solve arguments in ``given`` (keywords of :data:`KEYWORDS`; absent or ``None``: not
    given) as strictly as the file's ``solve:`` section; raise
    :class:`~goalprog.core.errors.ArgumentError` naming every invalid one."""
    kw = given
    problems = []

    def number(name, v, lo, strict):
        if v is None:
            return
        if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v) or math.isinf(v):
            problems.append(f"{name} must be a finite number, got {v!r}")
        elif (v <= lo if strict else v < lo):
            problems.append(f"{name} must be {'>' if strict else '>='} {lo:g}, got {v!r}")

    number("time_limit", kw.get("time_limit"), 0, True)
    number("mip_gap", kw.get("mip_gap"), 0, False)
    number("lock_abs_tol", kw.get("lock_abs_tol"), 0, False)
    number("lock_rel_tol", kw.get("lock_rel_tol"), 0, False)
    from ..spec.schema import TINY

    for name in ("lam", "lock_abs_tol", "lock_rel_tol"):  # 1e-320 makes costs or bounds a solver crashes on
        v = kw.get(name)
        if isinstance(v, float) and 0 < v < TINY:
            problems.append(f"{name} must be 0 or at least {TINY:g}, got {v!r}")
    t = kw.get("threads")
    if t is not None and (isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 1024):
        problems.append(f"threads must be a whole number from 1 to 1024, got {t!r}")
    lam = kw.get("lam")
    if lam is not None:
        number("lam", lam, 0, False)
        if isinstance(lam, (int, float)) and not isinstance(lam, bool) and lam > 1:
            problems.append(f"lam must be in [0, 1], got {lam!r}")
    if kw.get("algorithm") not in (None, "choose", "simplex", "ipm", "pdlp"):
        problems.append(f"algorithm must be 'choose', 'simplex', 'ipm' or 'pdlp', got {kw['algorithm']!r}")
    if kw.get("pareto") not in (None, "off", "check", "restore"):
        problems.append(f"pareto must be 'off', 'check' or 'restore', got {kw['pareto']!r}")
    if kw.get("rates") not in (None, "auto", "on", "off"):
        problems.append(f"rates must be 'auto', 'on' or 'off', got {kw['rates']!r}")
    if kw.get("alternatives") is not None and not isinstance(kw["alternatives"], bool):
        problems.append(f"alternatives must be True or False, got {kw['alternatives']!r}")
    if kw.get("sensitivity") is not None and not isinstance(kw["sensitivity"], bool):
        problems.append(f"sensitivity must be True or False, got {kw['sensitivity']!r}")
    if kw.get("sensitivity_ranges") not in (None, "auto", "exact", "basis"):
        problems.append(f"sensitivity_ranges must be 'auto', 'exact' or 'basis', got {kw['sensitivity_ranges']!r}")
    if kw.get("lock_style") not in (None, "auto", "row", "face", "fix"):
        problems.append(f"lock_style must be 'auto', 'row', 'face' or 'fix', got {kw['lock_style']!r}")
    if kw.get("lock_granularity") not in (None, "level", "goal"):
        problems.append(f"lock_granularity must be 'level' or 'goal', got {kw['lock_granularity']!r}")
    so = kw.get("solver_options")
    if so is not None and not isinstance(so, dict):
        problems.append(f"solver_options must be a dict of option name -> value, got {type(so).__name__}")
    elif so:
        from ..spec.solvers import short

        for k, v in so.items():
            if not isinstance(k, str) or not k:
                problems.append(f"solver_options: an option name is text, got {short(repr(k))}")
            elif not isinstance(v, (bool, int, float, str)) or (isinstance(v, float) and math.isnan(v)):
                problems.append(f"solver_options[{short(k)!r}] must be a number, true/false or text, "
                                f"got {type(v).__name__} {short(repr(v))}")
    for name in ("method", "backend", "solver"):
        v = kw.get(name)
        if v is not None and not isinstance(v, str):
            problems.append(f"{name} must be text, got {v!r}")
    sv = kw.get("solver")
    if isinstance(sv, str):
        from ..spec.solvers import is_path_like, short

        if is_path_like(sv):
            problems.append(f"solver must be a solver name such as highs or cbc, not a path: {short(sv)!r}; "
                            "an executable is given as solver_path= (command line: --solver-path)")
    sp = kw.get("solver_path")
    if sp is not None and not isinstance(sp, (str, os.PathLike)):
        problems.append(f"solver_path must be a path, got {type(sp).__name__}")
    from .strategies import ALIASES, method_names

    m = kw.get("method")
    if isinstance(m, str) and m not in method_names() and m not in ALIASES:
        from ..core.errors import did_you_mean

        problems.append(f"unknown method {m!r}; " + (did_you_mean(m, list(method_names()) + list(ALIASES))
                                                     or f"choose one of {', '.join(method_names())}"))
    if problems:
        raise ArgumentError([Issue(p, hint="see help(goalprog.Problem.solve)") for p in problems])


def executable(path, backend: str) -> str | None:
    """``solver_path`` checked and resolved: an executable file, for the pulp or pyomo backend
    (``None`` when not given).  Raises :class:`~goalprog.core.errors.ArgumentError`."""
    if path is None:
        return None
    from ..spec.solvers import short

    text = os.fspath(path)
    if backend == "highs":
        raise ArgumentError("solver_path needs the pulp or pyomo backend: the highs backend calls HiGHS as a "
                            "library, not as a program", hint="add backend='pulp' (command line: -b pulp)")
    resolved = Path(text).expanduser()
    try:
        resolved = resolved.resolve(strict=True)
        ok = resolved.is_file() and os.access(resolved, os.X_OK)
    except (OSError, RuntimeError):
        ok = False
    if not ok:
        raise ArgumentError(f"solver_path {short(text)!r} is not an executable file",
                            hint="give the path of the solver program, e.g. /usr/bin/cbc")
    return str(resolved)
