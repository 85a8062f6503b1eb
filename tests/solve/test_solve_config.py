"""One solve configuration (goalprog.solve.config.SolveConfig): defaults < the file's solve: < arguments,
built in one place for Problem.solve, the solve command, export and sweeps; every keyword and flag maps
onto a field; invalid values give the errors they always gave; the configuration is frozen."""

from __future__ import annotations

import dataclasses
import inspect
import os
import stat

import pytest
from click.testing import CliRunner

import goalprog
import goalprog.problem
from goalprog.cli import main
from goalprog.cli.app import FLAG_KEYWORDS, SOLVE_COMMAND_PARAMS
from goalprog.core.errors import ArgumentError, BackendError
from goalprog.solve.config import KEYWORDS, LOCK_KEYWORDS, SolveConfig, UnknownSolveArgument, resolve_lock
from goalprog.solve.strategies.common import LockTolerance


def problem_dict(solve=None, priorities=True):
    """A clothing-factory goal program; ``solve``: its solve: section."""
    p1, p2 = ({"priority": 1}, {"priority": 2}) if priorities else ({}, {})
    data = {
        "name": "factory",
        "variables": {"pants": {"lower": 0}, "shirts": {"lower": 0}, "dresses": {"lower": 0}},
        "constraints": {"budget": "5*pants + shirts + 10*dresses <= 50000"},
        "goals": {"profit": {"expr": "10*pants + 3*shirts + 15*dresses", "at_least": 150000, **p1},
                  "waste": {"expr": "1.5*pants + shirts + 3*dresses", "at_most": 20000, **p2}},
    }
    if solve is not None:
        data["solve"] = solve
    return data


def config(solve=None, priorities=True, **given) -> SolveConfig:
    problem = goalprog.from_dict(problem_dict(solve, priorities))
    return SolveConfig.resolve(problem.spec.solve, model=problem.model, doc=problem._doc, **given)


def field(cfg, path):
    value = cfg
    for part in path.split("."):
        value = getattr(value, part)
    return value


# -- precedence: defaults < the file's solve: < arguments -------------------------------------------------

FILE = {"method": "chebyshev", "time_limit": 30, "mip_gap": 0.05, "threads": 2, "algorithm": "simplex",
        "lambda": 0.3, "pareto": "check", "accept_feasible": True, "verbose": True, "sensitivity": True,
        "lock": {"abs_tol": 1e-4, "rel_tol": 1e-6, "granularity": "goal", "style": "row"},
        "options": {"presolve": "off", "random_seed": 7}}
ARGS = {"method": "extended", "time_limit": 5.0, "mip_gap": 0.01, "threads": 4, "algorithm": "ipm", "lam": 0.7,
        "pareto": "restore", "accept_feasible": False, "verbose": False, "lock_abs_tol": 1e-3, "lock_rel_tol": 1e-2,
        "lock_granularity": "level", "lock_style": "face", "rates": "on", "sensitivity": False}
# field: (default, the file's FILE value, the argument's ARGS value)
EXPECTED = {
    "method": ("preemptive", "chebyshev", "extended"),  # default: by priorities (the goals have them)
    "time_limit": (None, 30, 5.0),
    "mip_gap": (None, 0.05, 0.01),
    "threads": (None, 2, 4),
    "algorithm": (None, "simplex", "ipm"),
    "lam": (0.5, 0.3, 0.7),
    "pareto": ("off", "check", "restore"),
    "accept_feasible": (False, True, False),
    "verbose": (False, True, False),
    "sensitivity": (False, True, False),
    "lock.abs_tol": (None, 1e-4, 1e-3),  # default: no slack, the exact lexicographic optimum,
    "lock.rel_tol": (None, 1e-6, 1e-2),
    "lock.granularity": ("level", "goal", "level"),
    "lock.style": ("auto", "row", "face"),
}


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_a_setting_is_the_default_then_the_files_then_the_arguments(path):
    default, from_file, from_args = EXPECTED[path]
    assert field(config(), path) == default
    assert field(config(FILE), path) == from_file
    assert field(config(FILE, **ARGS), path) == from_args


def test_the_arguments_solver_options_update_the_files():
    assert dict(config().solver_options) == {}
    assert dict(config(FILE).solver_options) == {"presolve": "off", "random_seed": 7}
    merged = config(FILE, solver_options={"random_seed": 9, "time_limit": 3})
    assert dict(merged.solver_options) == {"presolve": "off", "random_seed": 9, "time_limit": 3}


def test_the_method_defaults_by_priorities_and_aliases_resolve():
    assert config(priorities=False).method == "weighted"
    assert config().method == "preemptive"
    assert config(method="lexicographic").method == "preemptive"
    assert config({"method": "weighted"}, method="minmax").method == "chebyshev"


def test_per_level_lambdas_come_from_the_file():
    levels = {1: {"achievement": "chebyshev"}, 2: {"achievement": "extended", "lambda": 0.25}}
    assert dict(config({"levels": levels}).levels) == {1: 0.0, 2: 0.25}
    assert dict(config().levels) == {}


def test_none_is_not_given():
    assert config(FILE, time_limit=None, lock_style=None, method=None) == config(FILE)


def test_the_derived_solve_options_and_settings():
    progress = print
    cfg = config(FILE, algorithm="ipm", solver_options={"solver": "simplex", "threads": 1}, progress=progress)
    options = cfg.solve_options()
    assert (options.solver, options.time_limit, options.mip_gap, options.threads, options.verbose) == \
        ("highs", 30, 0.05, 2, True)
    # an explicit solver option wins over the algorithm
    assert options.solver_options == {"solver": "simplex", "presolve": "off", "random_seed": 7, "threads": 1}
    assert config(FILE).solve_options().solver_options == {"solver": "simplex", "presolve": "off", "random_seed": 7}
    assert "solver" not in config(algorithm="choose").solve_options().solver_options
    settings = cfg.settings()
    assert settings.lock == LockTolerance(1e-4, 1e-6, "goal", "row")
    assert (settings.accept_feasible, settings.lam, settings.pareto, settings.progress) == (True, 0.3, "check", progress)


def test_interior_point_by_default_for_large_lps_only(monkeypatch):
    import goalprog.solve.config as sc

    monkeypatch.setattr(sc, "IPM_COLUMNS", 3)
    monkeypatch.setattr(sc, "IPM_CHAIN_COLUMNS", 3)
    assert config(priorities=False).algorithm == "ipm"
    assert config().algorithm == "ipm"
    assert config(algorithm="simplex").algorithm == "simplex"
    assert config({"algorithm": "choose"}).algorithm == "choose"
    monkeypatch.setattr(sc, "IPM_COLUMNS", 10**9)
    monkeypatch.setattr(sc, "IPM_CHAIN_COLUMNS", 10**9)
    assert config().algorithm is None


def test_resolve_lock_layers_the_lock_alone():
    file_lock = goalprog.from_dict(problem_dict(FILE)).spec.solve.lock
    assert resolve_lock() == LockTolerance()
    assert resolve_lock(file_lock) == LockTolerance(1e-4, 1e-6, "goal", "row")
    assert resolve_lock(file_lock, lock_abs_tol=0.5) == LockTolerance(0.5, 1e-6, "goal", "row")
    with pytest.raises(ArgumentError, match="lock_rel_tol must be >= 0, got -1"):
        resolve_lock(file_lock, lock_rel_tol=-1)


# -- every keyword and every flag is a field -------------------------------------------------------------

# Problem.solve's keywords before the configuration (in order): the signature users see is unchanged
OLD_SIGNATURE = ["method", "backend", "solver", "time_limit", "mip_gap", "threads", "lock_abs_tol", "lock_rel_tol",
                 "verbose", "solver_options", "accept_feasible", "lam", "pareto", "lock_granularity", "algorithm",
                 "lock_style", "progress", "solver_path", "rates",  # rates: added with the trade-off rates
                 "alternatives", "sensitivity",  # added with the alternative optima and the sensitivity (issue 15)
                 "sensitivity_ranges"]  # exact or basis ranges (issue 15, cost at scale)


def test_problem_solve_keeps_its_signature_and_every_keyword_is_a_config_field():
    params = list(inspect.signature(goalprog.Problem.solve).parameters.values())[1:]
    assert [p.name for p in params] == OLD_SIGNATURE == list(KEYWORDS)
    assert all(p.default is None for p in params)
    assert [p.kind for p in params[:3]] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * 3
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[3:])
    names = {f.name for f in dataclasses.fields(SolveConfig)}
    lock_names = {f.name for f in dataclasses.fields(LockTolerance)}
    for keyword, path in KEYWORDS.items():
        head, _, rest = path.partition(".")
        assert head in names, keyword
        if rest:
            assert head == "lock" and rest in lock_names and LOCK_KEYWORDS[keyword] == rest


@pytest.fixture
def fake_solver(tmp_path):
    exe = tmp_path / "cbc"
    exe.write_text("#!/bin/sh\nexit 1\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_every_keyword_reaches_its_field(fake_solver):
    progress = print
    given = {**ARGS, "backend": "pulp", "solver": "highs", "solver_options": {"presolve": "off"},
             "progress": progress, "solver_path": fake_solver, "verbose": True, "accept_feasible": True,
             "alternatives": True, "sensitivity_ranges": "basis"}
    assert set(given) == set(KEYWORDS)
    cfg = config(**given)
    for keyword, path in KEYWORDS.items():
        value = field(cfg, path)
        want = given[keyword]
        if keyword == "solver_options":
            value = dict(value)
        if keyword == "solver_path":
            want = str(fake_solver.resolve())
        assert value == want, keyword


def test_every_solve_flag_maps_onto_a_config_field():
    command = main.commands["solve"]
    flags = [p.name for p in command.params if p.expose_value and p.name not in SOLVE_COMMAND_PARAMS]
    keywords = [FLAG_KEYWORDS.get(name, name) for name in flags]
    assert sorted(keywords) == sorted(k for k in KEYWORDS if k != "progress")  # progress: the lines --quiet leaves out
    assert set(SOLVE_COMMAND_PARAMS) <= {p.name for p in command.params}


class Recorder:
    """A strategy that records what it was given and then solves as the real one would."""

    def __init__(self, monkeypatch):
        self.calls = []
        real = goalprog.problem.get_strategy

        def get_strategy(name):
            run = real(name)

            def recorded(model, backend, options, lock, accept_feasible, settings):
                self.calls.append((name, backend.name, options, lock, accept_feasible, settings))
                return run(model, backend, options, lock, accept_feasible, settings)

            return recorded

        monkeypatch.setattr(goalprog.problem, "get_strategy", get_strategy)


def test_problem_solve_hands_the_strategy_the_resolved_configuration(monkeypatch):
    rec = Recorder(monkeypatch)
    problem = goalprog.from_dict(problem_dict({"time_limit": 30, "lock": {"abs_tol": 1e-4, "style": "row"},
                                               "options": {"random_seed": 3}}))
    result = problem.solve(mip_gap=0.02, lock_rel_tol=1e-3, pareto="check", solver_options={"presolve": "off"})
    assert result.status is goalprog.Status.OPTIMAL
    ((name, backend, options, lock, accept, settings),) = rec.calls
    assert (name, backend) == ("preemptive", "highs")
    assert (options.solver, options.time_limit, options.mip_gap, options.threads, options.verbose) == \
        ("highs", 30, 0.02, None, False)
    assert options.solver_options == {"random_seed": 3, "presolve": "off"}
    assert lock == settings.lock == LockTolerance(1e-4, 1e-3, "level", "row")
    assert (accept, settings.lam, settings.pareto) == (False, 0.5, "check")


def test_the_solve_command_hands_its_flags_to_the_same_fields(monkeypatch, tmp_path):
    rec = Recorder(monkeypatch)
    path = tmp_path / "factory.yaml"
    import yaml

    path.write_text(yaml.safe_dump(problem_dict({"lock": {"abs_tol": 1e-4}, "lambda": 0.9})))
    out = CliRunner().invoke(main, ["solve", str(path), "-m", "extended", "--lambda", "0.25", "--time-limit", "7",
                                    "--threads", "3", "--mip-gap", "0.5", "--lock-rel-tol", "0.001", "--pareto",
                                    "check", "--algorithm", "simplex", "--option", "random_seed=5", "-q"])
    assert out.exit_code == 0, out.output
    ((name, backend, options, lock, accept, settings),) = rec.calls
    assert name == "extended"
    assert (options.time_limit, options.threads, options.mip_gap) == (7.0, 3, 0.5)
    assert options.solver_options == {"solver": "simplex", "random_seed": 5}
    assert lock == LockTolerance(1e-4, 1e-3)
    assert (settings.lam, settings.pareto, settings.progress) == (0.25, "check", None)


# -- invalid values: the errors they always gave ----------------------------------------------------------

HINT = "see help(goalprog.Problem.solve)"
INVALID = [
    ({"time_limit": -1}, "time_limit must be > 0, got -1"),
    ({"time_limit": float("nan")}, "time_limit must be a finite number, got nan"),
    ({"mip_gap": -0.5}, "mip_gap must be >= 0, got -0.5"),
    ({"threads": 0}, "threads must be a whole number from 1 to 1024, got 0"),
    ({"threads": True}, "threads must be a whole number from 1 to 1024, got True"),
    ({"lock_abs_tol": -1e-3}, "lock_abs_tol must be >= 0, got -0.001"),
    ({"lock_rel_tol": 1e-320}, "lock_rel_tol must be 0 or at least 1e-300, got 1e-320"),
    ({"lam": 2}, "lam must be in [0, 1], got 2"),
    ({"algorithm": "barrier"}, "algorithm must be 'choose', 'simplex', 'ipm' or 'pdlp', got 'barrier'"),
    ({"pareto": "yes"}, "pareto must be 'off', 'check' or 'restore', got 'yes'"),
    ({"lock_style": "tight"}, "lock_style must be 'auto', 'row', 'face' or 'fix', got 'tight'"),
    ({"lock_granularity": "row"}, "lock_granularity must be 'level' or 'goal', got 'row'"),
    ({"solver_options": [1]}, "solver_options must be a dict of option name -> value, got list"),
    ({"solver_options": {"presolve": None}}, "solver_options['presolve'] must be a number, true/false or text, "
                                             "got NoneType None"),
    ({"backend": 3}, "backend must be text, got 3"),
    ({"solver": "/usr/bin/cbc"}, "solver must be a solver name such as highs or cbc, not a path: '/usr/bin/cbc'; "
                                 "an executable is given as solver_path= (command line: --solver-path)"),
    ({"solver_path": 5}, "solver_path must be a path, got int"),
    ({"method": "weighed"}, "unknown method 'weighed'; did you mean 'weighted'?"),
]


@pytest.mark.parametrize("given, message", INVALID, ids=[m.split(" ")[0] for _, m in INVALID])
def test_an_invalid_argument_gives_the_same_error(given, message):
    problem = goalprog.from_dict(problem_dict())
    for call in (lambda: problem.solve(**given), lambda: config(**given)):
        with pytest.raises(ArgumentError) as exc:
            call()
        assert [(i.message, i.hint) for i in exc.value.issues] == [(message, HINT)]


def test_every_invalid_argument_is_named_at_once():
    with pytest.raises(ArgumentError) as exc:
        goalprog.from_dict(problem_dict()).solve(time_limit=0, threads=2000, pareto="x")
    assert [i.message for i in exc.value.issues] == [
        "time_limit must be > 0, got 0", "threads must be a whole number from 1 to 1024, got 2000",
        "pareto must be 'off', 'check' or 'restore', got 'x'"]


def test_invalid_combinations_give_the_same_errors(fake_solver, tmp_path):
    problem = goalprog.from_dict(problem_dict())
    with pytest.raises(ArgumentError, match="solver_path needs the pulp or pyomo backend"):
        problem.solve(solver_path=fake_solver)
    with pytest.raises(ArgumentError, match="is not an executable file"):
        problem.solve(backend="pulp", solver_path=tmp_path / "nothing")
    with pytest.raises(BackendError, match="the highs backend solves with HiGHS only, not 'cbc'"):
        problem.solve(backend="highs", solver="cbc")
    with pytest.raises(BackendError, match=r"algorithm='ipm' is a HiGHS setting; the solver here is 'cbc'"):
        problem.solve(backend="pulp", solver="cbc", algorithm="ipm")
    with pytest.raises(BackendError, match="unknown backend 'gurobi'"):
        problem.solve(backend="gurobi")
    # the solver's kind from the executable's name
    assert config(backend="pulp", solver_path=fake_solver).solver == "cbc"


def test_an_unknown_keyword_names_the_valid_ones():
    problem = goalprog.from_dict(problem_dict())
    with pytest.raises(UnknownSolveArgument) as exc:
        problem.solve(time_limt=3)
    assert isinstance(exc.value, ArgumentError) and isinstance(exc.value, TypeError)
    (issue,) = exc.value.issues
    assert issue.message == "solve() got an unknown argument 'time_limt'; did you mean 'time_limit'?"
    assert issue.hint == "the arguments are " + ", ".join(OLD_SIGNATURE)
    with pytest.raises(TypeError):
        problem.solve("weighted", "highs", "highs", 5)  # three positional arguments at most, as before


def test_the_solve_command_maps_errors_to_the_same_exit_codes(tmp_path):
    path = tmp_path / "factory.yaml"
    import yaml

    path.write_text(yaml.safe_dump(problem_dict()))
    assert CliRunner().invoke(main, ["solve", str(path), "--threads", "0"]).exit_code == 2
    assert CliRunner().invoke(main, ["solve", str(path), "-b", "highs", "--solver", "cbc"]).exit_code == 7
    out = CliRunner().invoke(main, ["solve", str(path), "-b", "pulp", "-s", "cbc", "--algorithm", "ipm"])
    assert out.exit_code == 7 and "is a HiGHS setting" in out.output


# -- frozen ------------------------------------------------------------------------------------------------

def test_the_configuration_is_frozen():
    cfg = config(FILE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.time_limit = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.lock.abs_tol = 1
    with pytest.raises(TypeError):
        cfg.solver_options["presolve"] = "on"
    with pytest.raises(TypeError):
        cfg.levels[1] = 0.0
    # what a strategy gets is a copy: changing it leaves the configuration alone
    cfg.solve_options().solver_options["presolve"] = "on"
    assert cfg.solver_options["presolve"] == "off"


# -- export and sweeps build the same configuration --------------------------------------------------------

def test_export_builds_its_configuration_with_the_same_builder():
    from goalprog.output.export import stage_config

    problem = goalprog.from_dict(problem_dict({**FILE, "options": {"presolve": "off"}}))
    cfg = stage_config(problem, "preemptive", verbose=False)
    # as ever: HiGHS, the file's limits, lock and options, not the file's algorithm or log setting
    assert (cfg.backend, cfg.solver, cfg.algorithm, cfg.verbose) == ("highs", "highs", None, False)
    assert (cfg.time_limit, cfg.mip_gap, cfg.threads, cfg.accept_feasible) == (30, 0.05, 2, True)
    assert cfg.lock == LockTolerance(1e-4, 1e-6, "goal", "row")
    assert dict(cfg.solver_options) == {"presolve": "off"}
    assert stage_config(problem, "extended", lam=0.2).lam == 0.2
    cbc = goalprog.from_dict(problem_dict({"backend": "pulp", "solver": "cbc", "options": {"presolve": False}}))
    assert dict(stage_config(cbc, "weighted").solver_options) == {}  # cbc's options are not HiGHS's


def test_a_sweep_checks_its_solve_arguments_before_any_run(tmp_path):
    import yaml

    from goalprog.analysis.sweep import sweep

    path = tmp_path / "factory.yaml"
    path.write_text(yaml.safe_dump(problem_dict()))
    out = tmp_path / "runs.csv"
    with pytest.raises(ArgumentError, match="time_limit must be > 0, got -2"):
        sweep(path, {"goals.waste.at_most": [20000, 30000]}, time_limit=-2, workers=1, progress=False, output=out)
    assert not out.exists()
    with pytest.raises(ArgumentError, match="not a path"):
        sweep(path, {"goals.waste.at_most": [20000]}, solver=os.sep + "cbc", workers=1, progress=False)
