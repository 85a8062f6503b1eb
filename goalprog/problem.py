"""The public entry points: :func:`load`, :func:`from_dict` and :class:`Problem`.

``load`` runs the whole front end (YAML with positions -> schema -> data -> compiled
:class:`~goalprog.model.ir.LinearModel`), so every mistake in a problem file is reported when it is
loaded, with file:line:col; ``Problem.solve`` then runs a strategy on a backend.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .solve.backends.base import get_backend
from .model.compile import compile_problem
from .core.errors import ArgumentError, Issue, SchemaError
from .model.ir import LinearModel
from .core.limits import MAX_NESTING, Limits, default_limits, make_limits
from .solve.results import Result
from .spec.data import bind_data
from .spec.loader import Document, load_yaml_file
from .spec.schema import ProblemSpec, validate_document
from .solve.config import (DEFAULT_BACKEND, DEFAULT_SOLVER, IPM_CHAIN_COLUMNS, IPM_COLUMNS,  # noqa: F401 - public
                           KEYWORDS, POSITIONAL, default_method)
from .solve.strategies import ALIASES, get_strategy


class Problem:
    """A loaded, validated and compiled goal program.

    Attributes: ``spec`` (the frozen :class:`~goalprog.spec.schema.ProblemSpec`), ``model`` (the
    frozen :class:`~goalprog.model.ir.LinearModel`), ``source`` (file path or ``None``),
    ``input_files`` (a tuple of resolved :class:`pathlib.Path`: the problem file, when there is
    one, then every data file read, in order; ``()`` for :func:`from_dict` without data files),
    so that outputs can be kept from replacing an input, and ``overrides`` (what a what-if run
    changed from the file, see :attr:`overrides`).
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
    def overrides(self) -> tuple:
        """What was changed from the problem file without editing it: one
        :class:`~goalprog.spec.override_doc.OverrideRecord` ``(key, value, source)`` per item of
        ``params=`` / ``overrides=`` (:func:`load`), ``--set`` or ``--vary``, in the order applied
        (``key`` the parameter name or key path as given, ``value`` as given, made plain: a pandas
        Series as a mapping by label; ``source`` ``"params="``, ``"overrides="``, ``"--set"`` or
        ``"--vary"``); ``()`` when nothing was.  Every result of :meth:`solve` carries it."""
        return tuple(getattr(self._doc, "changes", None) or ())

    @property
    def method(self) -> str:
        """The method ``solve()`` uses without a ``method=`` argument: the file's, else the default."""
        return self.spec.solve.method or self.default_method

    def check(self, method: str | None = None) -> None:
        """Run the checks ``solve()`` would run before solving with ``method`` (default :attr:`method`).

        Raises :class:`~goalprog.core.errors.SchemaError` when preemptive GP is asked for while some goals
        have no priority, and :class:`~goalprog.core.errors.ProblemFileError` when a meta-goal method
        counts unmet goals whose deviations have no bound.
        """
        if ALIASES.get(method or self.method, method or self.method) == "preemptive":
            self._check_priorities()
        if (method or self.method) in ("meta", "fewest_unmet"):
            self._check_meta(method or self.method)

    def _check_meta(self, method: str) -> None:
        """An ``unmet`` meta-goal needs a bound on every deviation it counts (its big-M): raise
        :class:`~goalprog.core.errors.ProblemFileError` at the meta-goal, or the goal, otherwise."""
        from .core.errors import ProblemFileError
        from .solve.metagoals import FEWEST_UNMET, bound_issues

        metas = self.model.meta_goals if method == "meta" else FEWEST_UNMET
        issues = bound_issues(self.model, metas, lambda name: self._doc.location(("goals", name), key=True))
        if issues:
            raise ProblemFileError(issues)

    @property
    def default_method(self) -> str:
        """``meta`` when the file has meta-goals, else ``preemptive`` when any goal or objective has a
        priority, else ``weighted``."""
        return default_method(self.model)

    def solve(self, method: str | None = None, backend: str | None = None, solver: str | None = None,
              **options) -> Result:
        """Solve the goal program and return a :class:`~goalprog.solve.results.Result`.

        Keywords: ``method``, ``backend``, ``solver`` (also by position), ``time_limit``, ``mip_gap``,
        ``threads``, ``lock_abs_tol``, ``lock_rel_tol``, ``verbose``, ``solver_options``,
        ``accept_feasible``, ``lam``, ``pareto``, ``lock_granularity``, ``algorithm``, ``lock_style``,
        ``progress``, ``solver_path``, ``rates``, ``sensitivity``, ``sensitivity_ranges`` (:data:`goalprog.solve.config.KEYWORDS`; they are resolved
        into one :class:`~goalprog.solve.config.SolveConfig`).
        Arguments left ``None`` come from the file's ``solve:`` section, then the defaults:
        method by priorities (see :attr:`default_method`), backend ``highs``, solver ``highs``,
        exact locks (the exact lexicographic optimum; ``lock_abs_tol``/``lock_rel_tol`` are the
        slack option, see docs/methods.md).  ``time_limit`` is in seconds per stage.

        ``method``: ``"weighted"``, ``"preemptive"`` (``"lexicographic"``), ``"chebyshev"``,
        ``"extended"``, ``"meta"`` (the file's ``meta_goals:``, the default when it has them) or
        ``"fewest_unmet"`` (the fewest goals not met, then the least total weighted deviation:
        meta-goal programming, Rodríguez Uría et al., *EJOR* 136 (2002) 422-429); the meta-goal
        methods set ``Result.meta`` (:class:`~goalprog.solve.metagoals.MetaReport`).

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
        ``rates`` (preemptive): each level's trade-off rate (the right-hand derivative of the next
        level's optimum in the lock's slack, by three re-solves per level: see
        :mod:`goalprog.solve.tradeoff`): ``"auto"`` (default: LP chains below 5,000 columns),
        ``"on"`` or ``"off"``.
        ``alternatives``: also compute the plan's alternative optima, ``result.alternatives`` (each
        decision variable's range over the plans that keep every level at its optimum, and whether
        the plan is unique: :mod:`goalprog.solve.alternatives`, docs/methods.md "Alternative optima").
        ``sensitivity``: after solving (an LP, weighted or preemptive), ``result.sensitivity``
        holds each hard constraint's and target's one-sided rates, the target ranges and the
        weight ranges (:mod:`goalprog.solve.sensitivity`; docs/methods.md, "Sensitivity of the plan");
        ``sensitivity_ranges`` (``auto``, ``exact``, ``basis``): exact ranges, or HiGHS's basis ranges
        (inner bounds, rows marked ``range: basis``); ``auto``: basis from 1,000 columns.
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
        a path as ``solver``, a ``solver_path`` that is not an executable file) and for an unknown
        keyword (:class:`~goalprog.solve.config.UnknownSolveArgument`, also a :class:`TypeError`),
        :class:`~goalprog.core.errors.BackendError` for an unknown or missing backend/solver,
        :class:`~goalprog.core.errors.SolverError` when ``solver_path`` does not behave like the solver, and
        :class:`~goalprog.core.errors.SchemaError` when preemptive GP is asked for while some goals have
        no priority, or the file's solver options are not allowed for the solver used.
        """
        from .solve.config import SolveConfig

        self._check_overridden_settings({"method": method, "backend": backend, "solver": solver, **options})
        config = SolveConfig.resolve(self.spec.solve, model=self.model, doc=self._doc, method=method,
                                     backend=backend, solver=solver, **options)
        strategy = get_strategy(config.method)
        be = get_backend(config.backend)
        if config.method == "preemptive":
            self._check_priorities()
        if config.method in ("meta", "fewest_unmet"):
            self._check_meta(config.method)
        settings = config.settings()
        result = strategy(self.model, be, config.solve_options(), settings.lock, settings.accept_feasible, settings)
        if config.sensitivity:
            from .solve.sensitivity import with_sensitivity

            result = with_sensitivity(result, be, config.solve_options(), config.sensitivity_ranges)
        unused = self._unused_settings(config.method, options.get("lam"), config.levels)
        file_solve = self._doc.data.get("solve") if isinstance(self._doc.data, dict) else None
        rates_given = options.get("rates") is not None or (isinstance(file_solve, dict) and "rates" in file_solve)
        if rates_given and config.method != "preemptive":
            unused.append("rates is used by the preemptive method only (trade-off rates between priority levels); "
                          f"the {config.method} method ignores it")
        if options.get("sensitivity_ranges") is not None and not config.sensitivity:
            unused.append("sensitivity_ranges is used with sensitivity only (how its target and weight ranges are "
                          "found); without sensitivity=True (--sensitivity) it does nothing")
        if config.alternatives:  # the plan's alternative optima (goalprog/solve/alternatives.py)
            from .solve.alternatives import with_alternatives

            result = with_alternatives(result, be, config.solve_options())
        for what, keys, field in (("the lock settings", ("lock_abs_tol", "lock_rel_tol", "lock_granularity",
                                                         "lock_style"), "lock"),
                                  ("accept_feasible", ("accept_feasible",), "accept_feasible")):
            given = any(options.get(k) not in (None, False) for k in keys) or \
                (isinstance(file_solve, dict) and file_solve.get(field) not in (None, False, {}))
            if given and config.method != "preemptive":
                unused.append(f"{what} (solve.{field}) {'apply' if field == 'lock' else 'applies'} to preemptive GP "
                              f"only; the {config.method} method ignores {'them' if field == 'lock' else 'it'}")
        from dataclasses import replace as _replace

        return _replace(result, warnings=result.warnings + tuple(unused), input_files=self.input_files,
                        overrides=self.overrides)

    def frontier(self, a: str, b: str, *, step: float | None = None, current: Result | None = None, executor=None,
                 **solve_keywords):
        """The exact Pareto frontier between two goals (or priority levels) ``a`` and ``b``.

        ``a``, ``b``: a goal's name or instance label (``profit``, ``g[3]``), ``level:N`` for priority
        level ``N``, or a plain objective's name.  The current plan is solved first
        (:meth:`solve` with ``solve_keywords``); every goal outside ``a`` and ``b`` is then held no
        worse than in it, and the frontier of the two measures (unwanted deviations, a level's
        achievement) is found by the dichotomic weight search of Aneja & Nair (1979), ends by exact
        lexicographic chains; with integer variables, ``step`` (in ``b``'s units) adds an
        epsilon-constraint sweep for the unsupported points (see :mod:`goalprog.solve.frontier`).
        ``current``: the current plan, when already solved (a :class:`Result` of this problem with
        the same ``solve_keywords``; it is then not solved again).  ``executor``: a
        :class:`concurrent.futures.Executor` for the independent solves
        (:func:`goalprog.analysis.frontier_pool.process_pool`); default: one after another.
        Returns a frozen :class:`~goalprog.solve.frontier_result.FrontierResult` (``.table()``: one
        row per breakpoint).  Raises :class:`~goalprog.core.errors.ArgumentError` for an unknown
        name (with a did-you-mean hint), two overlapping ones, a bad ``step``, or a current plan
        that is not optimal (the frontier is then not defined), and the errors of :meth:`solve`."""
        from .solve.config import SolveConfig
        from .solve.frontier import compute_frontier, resolve_measure

        for name in (a, b):
            resolve_measure(self.model, name)  # an unknown name fails before any solve
        if current is None:
            current = self.solve(**solve_keywords)
        if current.x is None or current.status.value != "optimal":
            raise ArgumentError(f"the current plan is {current.status.value}, so it has no frontier: {current.message}",
                                hint="solve the problem to optimality first (goalprog solve FILE)")
        config = SolveConfig.resolve(self.spec.solve, model=self.model, doc=self._doc, **solve_keywords)
        result = compute_frontier(current.model, current.x, a, b, get_backend(config.backend),
                                  config.solve_options(), step=step, executor=executor)
        from dataclasses import replace as _replace

        return _replace(result, warnings=tuple(current.warnings) + result.warnings)

    _FILE_KEYS = {"lam": ("lambda",), "lock_abs_tol": ("lock", "abs_tol"), "lock_rel_tol": ("lock", "rel_tol"),
                  "lock_granularity": ("lock", "granularity"), "lock_style": ("lock", "style"),
                  "solver_options": ("options",)}

    def _check_overridden_settings(self, given: dict) -> None:
        """Refuse a solve argument that contradicts a ``solve:`` value an override set (``--set
        solve.method=weighted`` with ``--method preemptive``): two inputs of one run, and which one
        should hold is not for goalprog to guess.  A value the file itself holds is overridden by the
        argument as documented (defaults < file < arguments)."""
        from .core.errors import ArgumentError, Issue
        from .spec.override_doc import origin_label

        origin_of = getattr(self._doc, "origin_of", None)
        solve = self._doc.data.get("solve") if isinstance(self._doc.data, dict) else None
        if origin_of is None or not isinstance(solve, dict):
            return
        issues = []
        for kw, value in given.items():
            path = self._FILE_KEYS.get(kw, (kw,))
            if value is None or kw == "solver_options":
                continue
            node = solve
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            origin = origin_of(("solve",) + path)
            if kw == "method":
                value = ALIASES.get(value, value)  # "minmax" is "chebyshev"
            if node is None or origin is None or node == value:
                continue
            issues.append(Issue(f"solve.{'.'.join(path)}={node!r} ({origin_label(origin)}) and the {kw} argument "
                                f"{value!r} (solve({kw}=...), or its option on the command line) both set the "
                                f"{kw}: which one should hold is not for goalprog to guess",
                                hint=f"give it in one place: drop solve.{'.'.join(path)} from the overrides or the "
                                     f"{kw} argument"))
        if issues:
            raise ArgumentError(issues)

    def _preemptive_config(self, options: dict):
        from .solve.config import SolveConfig

        method = options.pop("method", None)
        if method is not None and ALIASES.get(method, method) != "preemptive":
            raise ArgumentError(f"priority orders and equivalent weights are of the preemptive method, not {method!r}",
                                hint="leave the method out, or use method='preemptive'")
        config = SolveConfig.resolve(self.spec.solve, model=self.model, doc=self._doc, method="preemptive", **options)
        self._check_priorities()
        return config

    def orders(self, orders="all", *, force: bool = False, executor=None, **options):
        """Solve the preemptive chain for each priority order; returns a
        :class:`~goalprog.solve.orders.PriorityOrders` (``entries``: order, status, achievements,
        goals, plan number; ``groups``; ``to_dict()`` is the JSON key ``orders``).

        ``orders``: ``"all"`` (every permutation of the levels: at most 6 levels unless ``force``,
        a warning from 5), a text ``"2,1,3;1,3,2"`` (``;`` between orders, ``,`` between levels,
        named by their priority numbers) or a list of orders (``[(2, 1), (1, 2)]``).  Orders that
        begin alike share the solves of their common prefix (see :mod:`goalprog.solve.orders`).
        ``executor``: a :class:`concurrent.futures.Executor` that runs the first level's subtrees
        in parallel (:func:`goalprog.analysis.orders.orders_pool` gives a process pool).  The other
        keywords are :meth:`solve`'s (the method is preemptive).  A separate method, not a
        :meth:`solve` keyword, because it gives many plans, not one :class:`Result`, and a solve
        keyword would reach every sweep run.  Raises :class:`~goalprog.core.errors.ArgumentError`
        for an order that does not name every level once, more than 6 levels without ``force``,
        or another method; and :meth:`solve`'s errors."""
        from .solve.orders import check_orders, solve_orders

        config = self._preemptive_config(options)
        picked, warnings = check_orders(orders, self.model.priorities(), force)
        return solve_orders(self.model, config.backend, config.solve_options(), config.settings(), picked,
                            executor, warnings)

    def equivalent_weights(self, result: Result | None = None, **options):
        """Weights under which weighted GP reproduces the preemptive plan: a
        :class:`~goalprog.solve.equivalent.EquivalentWeights` (``weights``: goal label -> weight,
        or ``None`` with a ``reason``; ``multipliers``: level -> factor of its weights), computed by
        :func:`goalprog.solve.equivalent.equivalent_weights` (Sherali & Soyster 1983; for a MIP by
        cuts from weighted MIP solves) and checked by a weighted solve.  ``result``: a preemptive result of this problem (else the chain is
        solved first, with ``options``: :meth:`solve`'s keywords).  Raises :meth:`solve`'s errors."""
        from .solve.equivalent import equivalent_weights

        options = dict(options)
        config = self._preemptive_config(options)  # takes out a method="preemptive"
        if result is None:
            result = self.solve(method="preemptive", **options)
        return equivalent_weights(result, config.backend, config.solve_options())

    def to_pulp(self, level=None, *, result=None, method: str | None = None):
        """The model of one solve as a ``pulp.LpProblem``, named for people, to extend and solve yourself.

        ``level=None``: the model :meth:`solve` solves in one stage (``method`` weighted,
        chebyshev or extended; default :attr:`method`); for a preemptive problem, the first
        priority level's stage.  ``level=L``: the preemptive stage of level ``L``, with the lock
        rows (and the bounds of face, fix or exact locks) of the levels before it, rebuilt from
        ``result`` (a result of ``solve(method="preemptive")``) when given, else from a chain of
        the earlier levels solved with HiGHS.  Variables and constraints are named after their
        labels (``make[shirts]`` -> ``make_shirts_``, ``profit_under``; unique, valid in LP files);
        ``prob.goalprog_names`` (:class:`~goalprog.solve.native_names.NativeNames`) maps them back
        to goalprog's labels, and ``prob.goalprog_names.values(prob)`` reads a solution as
        ``{label: value}``.  See :mod:`goalprog.solve.native` and docs/python.md.

        Raises :class:`~goalprog.core.errors.ArgumentError` for an unknown method or level,
        :class:`~goalprog.solve.native.NativeStageError` when an earlier level has no optimal
        solution, :class:`~goalprog.core.errors.SchemaError` for preemptive GP with goals
        without a priority.
        """
        from .solve.native import native_model

        return native_model(self, "pulp", level, result=result, method=method)

    def to_pyomo(self, level=None, *, result=None, method: str | None = None):
        """The model of one solve as a ``pyomo.environ.ConcreteModel``: ``m.x[name]`` (variables),
        ``m.c[name]`` (constraints), ``m.achievement`` (the objective), ``m.goalprog_names``.
        Arguments, names and errors as for :meth:`to_pulp`."""
        from .solve.native import native_model

        return native_model(self, "pyomo", level, result=result, method=method)

    def _unused_settings(self, method: str, lam, levels: dict) -> list[str]:
        """Settings given that the chosen method does not use (said, not silently ignored)."""
        out = []
        data = self._doc.data if isinstance(self._doc.data, dict) else {}
        lam_given = lam is not None or "lambda" in (data.get("solve") or {})
        if lam_given and method != "extended":
            out.append(f"lambda is used by the extended method only; the {method} method ignores it "
                       "(per-level lambdas go under solve: levels:)")
        if self.model.meta_goals and method != "meta":
            out.append(f"the file's meta_goals: are solved by method meta; the {method} method ignores them")
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


def _solve_signature():
    """``Problem.solve``'s signature as help() and inspect show it: ``self``, the positional
    keywords, then every other keyword of :data:`~goalprog.solve.config.KEYWORDS` (keyword-only),
    each defaulting to ``None``."""
    import inspect

    P = inspect.Parameter
    params = [P("self", P.POSITIONAL_OR_KEYWORD)]
    params += [P(k, P.POSITIONAL_OR_KEYWORD, default=None) for k in POSITIONAL]
    params += [P(k, P.KEYWORD_ONLY, default=None) for k in KEYWORDS if k not in POSITIONAL]
    return inspect.Signature(params, return_annotation="Result")


Problem.solve.__signature__ = _solve_signature()


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
