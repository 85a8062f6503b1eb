"""The public entry points: :func:`load`, :func:`from_dict` and :class:`Problem`.

``load`` runs the whole front end (YAML with positions -> schema -> data -> compiled
:class:`~goalprog.model.ir.LinearModel`), so every mistake in a problem file is reported when it is
loaded, with file:line:col; ``Problem.solve`` then runs a strategy on a backend.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from .solve.backends.base import SolveOptions, get_backend
from .model.compile import compile_problem
from .core.errors import ArgumentError, Issue, SchemaError
from .model.ir import LinearModel
from .core.limits import MAX_NESTING, Limits, default_limits, make_limits
from .solve.results import Result
from .spec.data import bind_data
from .spec.loader import Document, load_yaml_file
from .spec.schema import ProblemSpec, validate_document
from .solve.strategies import ALIASES, get_strategy

DEFAULT_BACKEND = "highs"
DEFAULT_SOLVER = "highs"
IPM_COLUMNS = 5_000  # one-stage LPs at least this large default to interior point (docs/performance.md)
IPM_CHAIN_COLUMNS = 5_000  # preemptive LP chains at least this large (solver HiGHS) use interior point


class Problem:
    """A loaded, validated and compiled goal program.

    Attributes: ``spec`` (the frozen :class:`~goalprog.spec.schema.ProblemSpec`), ``model`` (the
    frozen :class:`~goalprog.model.ir.LinearModel`), ``source`` (file path or ``None``),
    ``input_files`` (a tuple of resolved :class:`pathlib.Path`: the problem file, when there is
    one, then every data file read, in order; ``()`` for :func:`from_dict` without data files),
    so that outputs can be kept from replacing an input.
    """

    def __init__(self, spec: ProblemSpec, doc: Document, model: LinearModel, input_files: tuple = ()):
        self.spec = spec
        self._doc = doc
        self.model = model
        self.source = doc.file
        self.input_files: tuple[Path, ...] = tuple(input_files)

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def method(self) -> str:
        """The method ``solve()`` uses without a ``method=`` argument: the file's, else the default."""
        return self.spec.solve.method or self.default_method

    def check(self, method: str | None = None) -> None:
        """Run the checks ``solve()`` would run before solving with ``method`` (default :attr:`method`).

        Raises :class:`~goalprog.core.errors.SchemaError` when preemptive GP is asked for while some goals
        have no priority.
        """
        if ALIASES.get(method or self.method, method or self.method) == "preemptive":
            self._check_priorities()

    @property
    def default_method(self) -> str:
        """``preemptive`` when any goal or objective has a priority, else ``weighted``."""
        return "preemptive" if any(p is not None for p in self.model.priorities()) else "weighted"

    def solve(self, method: str | None = None, backend: str | None = None, solver: str | None = None, *,
              time_limit: float | None = None, mip_gap: float | None = None, threads: int | None = None,
              lock_abs_tol: float | None = None, lock_rel_tol: float | None = None,
              verbose: bool | None = None, solver_options: dict | None = None,
              accept_feasible: bool | None = None, lam: float | None = None,
              pareto: str | None = None, lock_granularity: str | None = None,
              algorithm: str | None = None, lock_style: str | None = None, progress=None,
              solver_path: str | Path | None = None) -> Result:
        """Solve the goal program and return a :class:`~goalprog.solve.results.Result`.

        Arguments left ``None`` come from the file's ``solve:`` section, then the defaults:
        method by priorities (see :attr:`default_method`), backend ``highs``, solver ``highs``,
        exact locks (the exact lexicographic optimum; ``lock_abs_tol``/``lock_rel_tol`` are the
        slack option, see docs/methods.md).  ``time_limit`` is in seconds per stage.

        ``accept_feasible`` (preemptive): a level stopped by a limit with a feasible solution is
        locked at that solution and the chain goes on (the result is then ``FEASIBLE``).
        ``lam`` (extended GP): weight of the weighted sum against the min-max part, in [0, 1] (0 or at
        least 1e-300: smaller numbers make costs a solver crashes on).
        ``pareto``: ``"off"``, ``"check"`` or ``"restore"`` (see :mod:`goalprog.solve.pareto`).
        ``lock_granularity``: ``"level"`` (one lock row per level) or ``"goal"`` (each penalty term
        of the level capped).  ``lock_style``: ``"row"`` (lock rows only), ``"face"`` (also the
        bounds the lock implies through each level's duals: the same values), ``"fix"`` (also fix
        the columns with nonzero reduced costs, Gurobi's rule) or ``"auto"``; face and fix need the
        ``highs`` backend.
        ``algorithm`` (HiGHS): ``"simplex"``, ``"ipm"`` (interior point
        with crossover: pays off on large weighted LPs), ``"pdlp"`` or ``"choose"``.
        ``progress``: a callable ``(stage index, number of stages, StageResult)`` run after each
        stage of a preemptive chain.
        ``solver``: a solver *name* (never a path).  ``solver_path`` (trusted: it is run as a
        program): an executable to run as the solver, with the ``pulp`` or ``pyomo`` backend; the
        solver's kind comes from ``solver`` (else the file's, else the executable's name, else
        ``highs``).  ``solver_options`` (name -> number, bool or text) go to the solver verbatim;
        the file's ``solve.options`` must be on the allow-list of options that neither read nor
        write files (:mod:`goalprog.spec.solvers`).
        Thread safety: ``solve()`` may run in several threads at once; the ``pyomo`` backend's
        solves take turns (Pyomo redirects the process's output streams while it solves).

        Infeasible or unbounded problems are not errors: see ``result.status``.
        Raises :class:`~goalprog.core.errors.ArgumentError` for an invalid argument (``time_limit=-1``,
        a path as ``solver``, a ``solver_path`` that is not an executable file),
        :class:`~goalprog.core.errors.BackendError` for an unknown or missing backend/solver,
        :class:`~goalprog.core.errors.SolverError` when ``solver_path`` does not behave like the solver, and
        :class:`~goalprog.core.errors.SchemaError` when preemptive GP is asked for while some goals have
        no priority, or the file's solver options are not allowed for the solver used.
        """
        _check_arguments(time_limit=time_limit, mip_gap=mip_gap, threads=threads, lock_abs_tol=lock_abs_tol,
                         lock_rel_tol=lock_rel_tol, solver_options=solver_options, method=method, backend=backend,
                         solver=solver, lam=lam, pareto=pareto, lock_granularity=lock_granularity, algorithm=algorithm,
                         lock_style=lock_style, solver_path=solver_path)
        s = self.spec.solve
        method = method or s.method or self.default_method
        method = ALIASES.get(method, method)
        strategy = get_strategy(method)
        backend_name = backend or s.backend or DEFAULT_BACKEND
        exe = _executable(solver_path, backend_name)
        be = get_backend(backend_name)
        solver_name = solver or s.solver
        if solver_name is None and exe is not None:
            from .spec.solvers import solver_for_executable

            solver_name = solver_for_executable(exe)
        solver_name = solver_name or DEFAULT_SOLVER
        if backend_name == "highs" and str(solver_name).lower() != "highs":
            from .core.errors import BackendError

            raise BackendError(f"the highs backend solves with HiGHS only, not {solver_name!r}",
                               hint="use --backend pulp or --backend pyomo for other solvers "
                                    "(backend='pulp' in Python)")
        if s.options:
            # the file's options were checked for the file's solver; check them for the one used
            from .spec.schema import check_solve_trust

            check_solve_trust(s, self._doc, backend_name, solver_name)
        options = SolveOptions(
            solver=solver_name,
            time_limit=time_limit if time_limit is not None else s.time_limit,
            mip_gap=mip_gap if mip_gap is not None else s.mip_gap,
            threads=threads if threads is not None else s.threads,
            verbose=bool(verbose if verbose is not None else s.verbose),
            solver_options={**s.options, **(solver_options or {})},
            solver_path=exe,
        )
        algo = algorithm or s.algorithm
        highs = (options.solver or DEFAULT_SOLVER) == "highs"
        if algo is None and method in ("weighted", "chebyshev", "extended") and not self.model.is_mip \
                and self.model.n_cols >= IPM_COLUMNS and highs:
            algo = "ipm"  # measured: 1.4x (6k columns) to 8x (200k) less time with interior point (docs/performance.md)
        if algo is None and method == "preemptive" and not self.model.is_mip and highs \
                and self.model.n_cols >= IPM_CHAIN_COLUMNS:
            # measured (docs/performance.md): every level by interior point + crossover (presolved,
            # on the face-restricted model with the highs backend) beats re-solving warm by simplex
            # from the previous basis, on every backend
            algo = "ipm"
        if algo and algo != "choose":
            if (options.solver or DEFAULT_SOLVER) != "highs":
                from .core.errors import BackendError

                raise BackendError(f"algorithm={algo!r} is a HiGHS setting; the solver here is {options.solver!r}",
                                   hint="pass the solver's own option with --option NAME=VALUE instead")
            from dataclasses import replace as _with

            options = _with(options, solver_options={"solver": algo, **options.solver_options})
        from .solve.strategies.common import LockTolerance, Settings

        lock = LockTolerance(lock_abs_tol if lock_abs_tol is not None else s.lock.abs_tol,
                             lock_rel_tol if lock_rel_tol is not None else s.lock.rel_tol,
                             lock_granularity or s.lock.granularity, lock_style or s.lock.style)
        if method == "preemptive":
            self._check_priorities()
        accept = bool(accept_feasible if accept_feasible is not None else s.accept_feasible)
        from .solve.strategies.common import level_lams

        levels = level_lams(s.levels)
        settings = Settings(lock, accept, lam if lam is not None else s.lambda_, levels, pareto or s.pareto, progress)
        result = strategy(self.model, be, options, lock, accept, settings)
        unused = self._unused_settings(method, lam, levels)
        from dataclasses import replace as _replace

        return _replace(result, warnings=result.warnings + tuple(unused), input_files=self.input_files)

    def _unused_settings(self, method: str, lam, levels: dict) -> list[str]:
        """Settings given that the chosen method does not use (said, not silently ignored)."""
        out = []
        data = self._doc.data if isinstance(self._doc.data, dict) else {}
        lam_given = lam is not None or "lambda" in (data.get("solve") or {})
        if lam_given and method != "extended":
            out.append(f"lambda is used by the extended method only; the {method} method ignores it "
                       "(per-level lambdas go under solve: levels:)")
        if levels:
            if method != "preemptive":
                out.append(f"solve.levels applies to preemptive GP; the {method} method ignores it")
            else:
                known = set(self.model.priorities())
                for level in levels:
                    if level not in known:
                        out.append(f"solve.levels names level {level}, which no goal or objective has")
        return out

    def _check_priorities(self) -> None:
        levels = self.model.priorities()
        if None not in levels or len(levels) == 1:
            return
        missing = []
        for name, g in self.spec.goals.items():
            if g.kind in ("maximize", "minimize"):
                if g.priority is None:
                    missing.append((name, None))
                continue
            for side in ("under", "over"):
                dev = getattr(g, side)
                penalised = (side == "under" and g.kind in ("at_least", "equal", "between")) or \
                            (side == "over" and g.kind in ("at_most", "equal", "between"))
                if penalised and g.priority is None and (dev is None or dev.priority is None):
                    missing.append((name, side))
        issues = []
        for name, side in missing:
            what = f"the {side}-deviation of goal '{name}'" if side else f"the objective '{name}'"
            issues.append(Issue(f"{what} has no priority while other goals have one",
                                self._doc.location(("goals", name), key=True),
                                hint="give it 'priority: N' (1 = most important), or solve with method: weighted"))
        raise SchemaError(issues)

    def __repr__(self) -> str:
        m = self.model
        return (f"<Problem {m.name!r}: {int((m.col_role == 0).sum())} variables, {m.n_hard} hard constraints, "
                f"{len(m.goals)} goals, {len(m.objectives)} objectives>")


def _check_arguments(**kw) -> None:
    """Validate solve() arguments as strictly as the file's solve: section; raise ArgumentError."""
    import math

    problems = []

    def number(name, v, lo, strict):
        if v is None:
            return
        if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v) or math.isinf(v):
            problems.append(f"{name} must be a finite number, got {v!r}")
        elif (v <= lo if strict else v < lo):
            problems.append(f"{name} must be {'>' if strict else '>='} {lo:g}, got {v!r}")

    number("time_limit", kw["time_limit"], 0, True)
    number("mip_gap", kw["mip_gap"], 0, False)
    number("lock_abs_tol", kw["lock_abs_tol"], 0, False)
    number("lock_rel_tol", kw["lock_rel_tol"], 0, False)
    from .spec.schema import TINY

    for name in ("lam", "lock_abs_tol", "lock_rel_tol"):  # 1e-320 makes costs or bounds a solver crashes on
        v = kw.get(name)
        if isinstance(v, float) and 0 < v < TINY:
            problems.append(f"{name} must be 0 or at least {TINY:g}, got {v!r}")
    t = kw["threads"]
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
    if kw.get("lock_style") not in (None, "auto", "row", "face", "fix"):
        problems.append(f"lock_style must be 'auto', 'row', 'face' or 'fix', got {kw['lock_style']!r}")
    if kw.get("lock_granularity") not in (None, "level", "goal"):
        problems.append(f"lock_granularity must be 'level' or 'goal', got {kw['lock_granularity']!r}")
    so = kw["solver_options"]
    if so is not None and not isinstance(so, dict):
        problems.append(f"solver_options must be a dict of option name -> value, got {type(so).__name__}")
    elif so:
        from .spec.solvers import short

        for k, v in so.items():
            if not isinstance(k, str) or not k:
                problems.append(f"solver_options: an option name is text, got {short(repr(k))}")
            elif not isinstance(v, (bool, int, float, str)) or (isinstance(v, float) and math.isnan(v)):
                problems.append(f"solver_options[{short(k)!r}] must be a number, true/false or text, "
                                f"got {type(v).__name__} {short(repr(v))}")
    for name in ("method", "backend", "solver"):
        v = kw[name]
        if v is not None and not isinstance(v, str):
            problems.append(f"{name} must be text, got {v!r}")
    sv = kw["solver"]
    if isinstance(sv, str):
        from .spec.solvers import is_path_like, short

        if is_path_like(sv):
            problems.append(f"solver must be a solver name such as highs or cbc, not a path: {short(sv)!r}; "
                            "an executable is given as solver_path= (command line: --solver-path)")
    sp = kw.get("solver_path")
    if sp is not None and not isinstance(sp, (str, os.PathLike)):
        problems.append(f"solver_path must be a path, got {type(sp).__name__}")
    from .solve.strategies import ALIASES, method_names

    m = kw["method"]
    if isinstance(m, str) and m not in method_names() and m not in ALIASES:
        from .core.errors import did_you_mean

        problems.append(f"unknown method {m!r}; " + (did_you_mean(m, list(method_names()) + list(ALIASES))
                                                     or f"choose one of {', '.join(method_names())}"))
    if problems:
        raise ArgumentError([Issue(p, hint="see help(goalprog.Problem.solve)") for p in problems])


def check_solver_arguments(solver, solver_path, backend: str) -> str | None:
    """Check ``solver`` (a name, never a path) and ``solver_path`` before a sweep's runs; returns
    the resolved executable (or ``None``).  Raises :class:`~goalprog.core.errors.ArgumentError`."""
    kw = dict.fromkeys(("time_limit", "mip_gap", "threads", "lock_abs_tol", "lock_rel_tol", "solver_options",
                        "method", "backend"))
    _check_arguments(**kw, solver=solver, solver_path=solver_path)
    return _executable(solver_path, backend)


def _executable(path, backend: str) -> str | None:
    """``solver_path`` checked and resolved: an executable file, for the pulp or pyomo backend."""
    if path is None:
        return None
    from .spec.solvers import short

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


def build(doc: Document, base_dir=None, data_root=None, limits: Limits | None = None) -> Problem:
    """A :class:`Problem` from a loaded document (the common end of :func:`load`, :func:`from_dict`
    and each run of a sweep): validate, bind data (read under ``base_dir``, else the file's folder,
    or ``data_root``), compile.  Raises the errors of :func:`load`."""
    from .spec.files import check_data_root

    root = check_data_root(data_root)
    limits = limits or default_limits()
    spec = validate_document(doc)
    data = bind_data(spec, doc, base_dir, root, limits=limits)
    model = compile_problem(spec, doc, data, limits=limits)
    own = (Path(doc.file).resolve(),) if doc.file else ()
    return Problem(spec, doc, model, own + tuple(p for p in data.files if p not in own))


def _check_nesting(data: Any, limit: int = MAX_NESTING) -> None:
    """Refuse lists and dicts nested more than ``limit`` levels (iteratively: no recursion on the
    user's data) before anything recursive (a deep copy, the schema) walks them."""
    stack = [(data, 1)]
    deepest: dict = {}  # id -> the greatest depth a shared list or dict was seen at (a cycle keeps growing)
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise ArgumentError(f"the problem dict is nested more than {limit} levels deep (or contains itself)",
                                hint="a problem has a few levels: sections, items, fields, values by index")
        if isinstance(node, dict):
            children = list(node.keys()) + list(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            children = node
        else:
            continue
        if deepest.get(id(node), 0) >= depth:
            continue
        deepest[id(node)] = depth
        stack.extend((c, depth + 1) for c in children)


def load(path: str | Path, params: dict[str, Any] | None = None, overrides: dict[str, Any] | None = None, *,
         data_root: str | Path | None = None, max_nonzeros: int | None = None) -> Problem:
    """Load, validate and compile a YAML problem file.

    ``params`` replaces parameter values (``{"budget": 60000}``); ``overrides`` replaces any key
    by its dotted path (``{"goals.waste.weight": 2}``); neither changes the file (see
    :mod:`goalprog.spec.overrides`).  Data files named by the problem are read only from the problem
    file's folder and below (links followed must stay inside); ``data_root`` (a folder you
    trust) allows reading data under it as well (relative paths stay relative to the problem
    file).  Returns a :class:`Problem` (its ``input_files`` lists what was read).  Raises a
    :class:`~goalprog.core.errors.ProblemFileError` subclass (YamlError, SchemaError, DataError,
    ExpressionError, SizeLimitError) listing every problem found with ``file:line:col``, and
    :class:`~goalprog.core.errors.ArgumentError` when ``data_root`` is not an existing folder.

    ``max_nonzeros`` limits the size of the model (nonzero coefficients; sets, variables and the
    bindings of one item may have a tenth of it as members or instances); default 50,000,000,
    see :mod:`goalprog.core.limits`.  A larger model raises :class:`~goalprog.core.errors.SizeLimitError`;
    an invalid value raises :class:`~goalprog.core.errors.ArgumentError`.
    """
    from .spec.files import check_data_root

    root = check_data_root(data_root)
    limits = make_limits(max_nonzeros)
    doc = load_yaml_file(path)
    if params or overrides:
        from .spec.overrides import apply_overrides

        doc = apply_overrides(doc, params or {}, overrides or {}, data_root=root)
    return build(doc, None, root, limits)


def from_dict(data: dict[str, Any], name: str | None = None, base_dir: str | Path | None = None, *,
              data_root: str | Path | None = None, max_nonzeros: int | None = None) -> Problem:
    """Build a :class:`Problem` from a dict with the same layout as a problem file.

    The dict is deep-copied, never modified.  Data files are found relative to ``base_dir``
    (default: the current folder) and read only from under it (links followed must stay
    inside), or from under ``data_root`` when given, as for :func:`load`.  Errors name key paths
    (no line numbers).  ``max_nonzeros`` as for :func:`load`.  Raises
    :class:`~goalprog.core.errors.ArgumentError` when ``data_root`` is not an existing folder or for a
    dict nested more than 200 levels deep (or containing itself), and the errors of :func:`load`.
    """
    from .spec.files import check_data_root

    root = check_data_root(data_root)
    limits = make_limits(max_nonzeros)
    _check_nesting(data)
    data = copy.deepcopy(data)
    if isinstance(data, dict) and name and "name" not in data:
        data["name"] = name
    return build(Document(data, None), base_dir, root, limits)
