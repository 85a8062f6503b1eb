"""Independent level values of every shipped preemptive problem, for the native multi-objective checks.

``REFERENCE[stem] = (levels, pytest.approx keywords, source)``: each priority level's value, most
important first, in the level's own sense (a level of ``maximize`` objectives: the maximised
value).  Used by ``tests/analysis/test_crosscheck_native.py`` (Gurobi's and CPLEX's native
hierarchies built from goalprog's arrays) and ``tests/output/test_export_molp.py`` (the mo-lp
file read back by gurobipy and cplex).  None of them is goalprog's output.
"""

import goalprog
from tests.helpers import PROBLEMS
from tests.library.cases import budget_allocation, media_selection, portfolio_selection, production_planning
from tests.library.cases import staff_scheduling

# the clothing factory by hand: the budget 5p + s + 10d <= 50,000 buys at most 150,000 profit, only with
# shirts (3 per dollar against 2 and 1.5), so profit >= 150,000 is met exactly at s = 50,000 and the waste
# is then 50,000, 30,000 over its 20,000 goal (PREAMBLE: "Preemptive profit first: profit 150,000, waste 50,000")
REFERENCE = {
    "clothing_factory_preemptive": ([0.0, 30_000.0], {"rel": 1e-9, "abs": 1e-9},
                                    "hand: profit met (0 under), waste 50,000 - 20,000 = 30,000 over"),
    "clothing_factory_objectives": ([150_000.0, 50_000.0], {"rel": 1e-9, "abs": 1e-9},
                                    "hand: maximise profit = 150,000 (all shirts), then waste 50,000"),
    "media_selection": ([float(v) for v in media_selection.PUBLISHED_LEVELS], {"rel": 1e-9, "abs": 1e-9},
                        "Winston (2004), section 4.14"),
    "staff_scheduling": (staff_scheduling.EXPECTED_LEVELS, {"rel": 1e-9, "abs": 1e-9},
                         "the hand-written PuLP model (8, 4, 17)"),
    "budget_allocation": (budget_allocation.EXACT_LEVELS, {"abs": 2e-5},
                          "exact lexicographic values, 7 digits (tests/library/cases/budget_allocation.py)"),
    "portfolio_selection": (portfolio_selection.EXACT_LEVELS, {"abs": 2e-5},
                            "exact lexicographic values, 7 digits (tests/library/cases/portfolio_selection.py)"),
    "production_planning": (lambda: production_planning.hand_written_levels(production_planning.instance()),
                            {"rel": 1e-9, "abs": 1e-9}, "the hand-written PuLP chain with exact locks"),
}

PREEMPTIVE = sorted(p for p in PROBLEMS.glob("*.yaml") if goalprog.load(p).default_method == "preemptive")


def reference(stem):
    """``(levels, approx keywords)`` of ``problems/<stem>.yaml``."""
    levels, tol, _ = REFERENCE[stem]
    return (levels() if callable(levels) else list(levels)), tol
