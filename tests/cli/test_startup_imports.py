"""Start-up rule of issue 6: a run imports what it needs, when it needs it.

Not a timing test: each case runs the command line in a fresh interpreter (the entry point called
with click's ``standalone_mode=False``) and then checks which heavy packages ended up in
``sys.modules``.  A plain solve on the ``highs`` backend with table or JSON output must not import
pandas, Pyomo, PuLP, matplotlib or ``numpy.ma`` (which numpy >= 2.3 imports for a plain
``np.unique``); JSON output needs no rich; ``goalprog --help`` and ``import goalprog`` need neither
numpy nor pydantic; a solve does not make pydantic look for plugins unless the user asks for them.
``benchmarks/startup.py`` measures the times.
"""

import json
import os
import subprocess
import sys

import pytest
from tests.helpers import ROOT

PROBLEMS = ROOT / "problems"

HEAVY = ("pandas", "pyomo", "pulp", "matplotlib", "numpy.ma", "scipy", "dask", "jinja2", "highspy", "numpy",
         "pydantic", "yaml", "rich")

RUNNER = r"""
import json, sys
from goalprog.cli import main
code = 0
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    code = exc.code or 0
heavy = %r
loaded = sorted(m for m in heavy if m in sys.modules)
import os
loader = sys.modules.get("pydantic.plugin._loader")
scanned = loader is not None and loader._plugins is not None  # pydantic read the installed entry points
print("\n@@modules@@" + json.dumps({"exit": code, "loaded": loaded, "plugins_scanned": scanned,
                                    "env": os.environ.get("PYDANTIC_DISABLE_PLUGINS")}))
""" % (HEAVY,)


def _run(*args: str, env: dict | None = None) -> dict:
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=env)
    assert "@@modules@@" in proc.stdout, proc.stderr
    return json.loads(proc.stdout.rsplit("@@modules@@", 1)[1])


def _loaded_after(*args: str) -> tuple[int, set]:
    info = _run(*args)
    return info["exit"], set(info["loaded"])


# the clothing factory files that read no CSV data (the indexed one reads its table with pandas)
PLAIN_FILES = ["clothing_factory_weighted.yaml", "clothing_factory_weighted_1_1.5.yaml",
               "clothing_factory_preemptive.yaml", "clothing_factory_objectives.yaml"]
NEVER_ON_A_PLAIN_SOLVE = {"pandas", "pyomo", "pulp", "matplotlib", "numpy.ma", "scipy", "dask", "jinja2"}


@pytest.mark.parametrize("name", PLAIN_FILES)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_plain_highs_solve_imports_no_pandas_pyomo_pulp_or_plotting(name, fmt):
    code, loaded = _loaded_after("solve", str(PROBLEMS / name), "--backend", "highs", "--format", fmt)
    assert code == 0
    assert not loaded & NEVER_ON_A_PLAIN_SOLVE, loaded & NEVER_ON_A_PLAIN_SOLVE
    assert {"numpy", "pydantic", "yaml", "highspy"} <= loaded  # what a solve does need (the check is live)
    if fmt == "json":
        assert "rich" not in loaded  # rich draws the tables only
    else:
        assert "rich" in loaded


def test_a_solve_reads_no_pydantic_plugins_unless_the_user_asks():
    """The command line sets PYDANTIC_DISABLE_PLUGINS=1 while it imports the schema (pydantic would
    otherwise read every installed distribution's entry points), only when it is not set, and
    removes it again; a value of the user's own (an empty one enables every plugin) is kept."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    args = ("solve", str(PROBLEMS / "clothing_factory_weighted.yaml"), "--format", "json")
    info = _run(*args, env=env)
    assert info["exit"] == 0 and not info["plugins_scanned"] and info["env"] is None
    info = _run(*args, env=dict(env, PYDANTIC_DISABLE_PLUGINS=""))
    assert info["exit"] == 0 and info["plugins_scanned"] and info["env"] == ""


def test_a_csv_backed_solve_imports_pandas_for_the_data_only():
    code, loaded = _loaded_after("solve", str(PROBLEMS / "clothing_factory_indexed.yaml"), "--format", "json")
    assert code == 0
    assert "pandas" in loaded  # CSV data are read with pandas
    assert not loaded & {"pyomo", "pulp", "matplotlib", "rich"}


def test_the_pulp_backend_imports_pulp_but_not_pyomo():
    code, loaded = _loaded_after("solve", str(PROBLEMS / "clothing_factory_weighted.yaml"), "--backend", "pulp",
                                 "--format", "json")
    assert code == 0
    assert "pulp" in loaded
    assert not loaded & {"pandas", "pyomo", "matplotlib"}


def test_help_and_validate_stay_light():
    code, loaded = _loaded_after("--help")
    assert code == 0
    assert not loaded, loaded  # click only: no numpy, pydantic, yaml, rich ...
    code, loaded = _loaded_after("validate", str(PROBLEMS / "clothing_factory_weighted.yaml"))
    assert code == 0
    assert not loaded & (NEVER_ON_A_PLAIN_SOLVE | {"highspy", "rich"}), loaded


def test_import_goalprog_is_light_and_the_api_loads_on_first_use():
    code = ("import sys, goalprog; light = not {'numpy', 'pydantic', 'yaml'} & set(sys.modules); "
            "from goalprog import Problem, GoalProgError; import goalprog.core.errors; "
            "print(light, goalprog.load.__module__, Problem.__module__, goalprog.core.errors.GoalProgError is GoalProgError, "
            "'load' in dir(goalprog), goalprog.__version__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "goalprog.problem", "goalprog.problem", "True", "True", "0.1.0"]
    proc = subprocess.run([sys.executable, "-c", "import goalprog; goalprog.no_such_name"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert "AttributeError" in proc.stderr and "no_such_name" in proc.stderr
