"""Paths and names the test modules share (import as ``from tests.helpers import ROOT, PROBLEMS``).

``tests`` is a package (every folder has an ``__init__.py``), so a test module's import name is
its path (``tests.solve.test_methods``) and these helpers import the same way wherever the module
sits in the tree, with ``-n 0`` and under pytest-xdist alike.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent      # the repository
PROBLEMS = ROOT / "problems"                          # the shipped problem files

# Both modelling backends are first-class; the direct HiGHS backend is checked too.
BACKENDS = ["pulp", "pyomo", "highs"]
