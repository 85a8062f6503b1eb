"""problems/budget_allocation.yaml: a hand-written PuLP model.

No published answer exists for these (illustrative) numbers; Lee & Clayton (1972) give the model
form, not this data.  The expected values come from the hand-written model below: it reads the
same CSV files with the ``csv`` module and builds the goal program directly in PuLP (solved with
HiGHS), without goalprog, as textbook goal rows ``expr + n - p = target`` with explicit deviation
variables (a ``between`` goal as two rows sharing its n and p).

How the levels are checked.  goalprog holds each level at ``h_l <= h_l* + max(1e-5, 1e-9 |h_l*|)``
(or exactly at 0 when the level is fully achieved), the rule it documents (docs/format.md and
docs/methods.md, ``solve.lock``).  Later levels may use that tolerance, so:

* test_each_level_matches_hand_written: under the lock bounds goalprog reports, each level's
  hand-written optimum equals goalprog's ``stage_value`` to 1e-6, and every lock is that optimum
  plus at most the documented tolerance;
* the harness (test_library_problems.py, levels against the self-contained chain) and
  test_level_values: the hand-written chain run on its own with (nearly) exact locks gives the
  exact lexicographic values EXACT_LEVELS, which goalprog's levels match to 1e-4;
* the plan is unique with exact locks (test_plan_is_pinned), but the goal rows are fractions of
  their targets and the lock tolerance leaves an optimal face up to 8e-3 FTE wide, so the plan is
  compared at the tolerances given in test_key_values_match_hand_written_plan.
"""

import csv
import functools

import pulp

from tests.helpers import PROBLEMS
from tests.library import chain

FILE = PROBLEMS / "budget_allocation.yaml"
DATA = PROBLEMS / "data" / "budget_allocation"
# exact lexicographic level values: the hand-written chain's values extrapolated to lock 0
EXACT_LEVELS = [0.0, 0.1269547, 0.3610188, 0.0]
N_LEVELS = 4


def _rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def build():
    """The goal program in plain PuLP: ``(model, level functions h_1..h_4, plan expressions)``."""
    dep = {r["department"]: {k: float(v) for k, v in r.items() if k != "department"} for r in _rows("departments.csv")}
    rank = {r["rank"]: {k: float(v) for k, v in r.items() if k != "rank"} for r in _rows("ranks.csv")}
    in_post = {(r["department"], r["rank"]): float(r["tenured_now"]) for r in _rows("staff.csv")}
    college = {k: float(v) for k, v in _rows("college.csv")[0].items()}
    B, lines = college["budget"], college["faculty_lines"]

    V = pulp.LpVariable
    m = pulp.LpProblem("budget", pulp.LpMinimize)
    x = {(d, r): V(f"fte_{d}_{r}", in_post.get((d, r), 0.0)) for d in dep for r in rank}
    for d in dep:
        m += x[d, "teaching_assistant"] <= dep[d]["ta_max"]
    payroll = {d: pulp.lpSum(rank[r]["salary"] * x[d, r] for r in rank) for d in dep}
    total = pulp.lpSum(payroll.values())
    capacity = {d: pulp.lpSum(rank[r]["load"] * x[d, r] for r in rank) for d in dep}
    faculty = {d: pulp.lpSum(x[d, r] for r in rank if rank[r]["faculty"] == 1) for d in dep}
    doctoral = {d: pulp.lpSum(x[d, r] for r in rank if rank[r]["doctoral"] == 1) for d in dep}

    def dev(name):
        return V(name, 0)

    # teaching: capacity/sections + n >= 1
    n_teach = {d: dev(f"n_teach_{d}") for d in dep}
    for d in dep:
        m += capacity[d] / dep[d]["sections"] + n_teach[d] >= 1
    # budget: total/B + n - p == 1 (p at level 1 weight 5, n at level 4 weight 1)
    n_bud, p_bud = dev("n_budget"), dev("p_budget")
    m += total / B + n_bud - p_bud == 1
    # doctoral share: (doctoral - share * faculty)/lines + n >= 0
    n_doc = {d: dev(f"n_doc_{d}") for d in dep}
    for d in dep:
        m += (doctoral[d] - college["doctoral_share"] * faculty[d]) / lines + n_doc[d] >= 0
    # students per faculty: faculty * max_ratio / students + n >= 1
    n_sr = {d: dev(f"n_ratio_{d}") for d in dep}
    for d in dep:
        m += faculty[d] * college["max_students_per_faculty"] / dep[d]["students"] + n_sr[d] >= 1
    # faculty lines: sum faculty / lines + n - p == 1
    n_lin, p_lin = dev("n_lines"), dev("p_lines")
    m += pulp.lpSum(faculty.values()) / lines + n_lin - p_lin == 1
    # department band: 0.95 <= payroll/last + n - p <= 1.10 (n weight 2, p weight 1)
    n_band = {d: dev(f"n_band_{d}") for d in dep}
    p_band = {d: dev(f"p_band_{d}") for d in dep}
    for d in dep:
        share = payroll[d] / dep[d]["last_budget"]
        m += share + n_band[d] - p_band[d] >= 0.95
        m += share + n_band[d] - p_band[d] <= 1.10

    levels = [
        pulp.lpSum(n_teach.values()) + 5 * p_bud,
        pulp.lpSum(n_doc.values()) + pulp.lpSum(n_sr.values()),
        n_lin + p_lin + pulp.lpSum(2 * n_band[d] + p_band[d] for d in dep),
        1 * n_bud,
    ]
    plan = {"fte": x, "payroll": payroll, "total_payroll": total, "faculty_fte": faculty,
            "doctoral_fte": doctoral, "capacity": capacity}
    return m, levels, plan


@functools.lru_cache(maxsize=None)
def expected():
    """The hand-written chain with (nearly) exact locks: ``(level values, final plan)``, once per process."""
    return chain.hand_written_chain(build)


def hand_written_under_locks(locks):
    return chain.hand_written_under_locks(build, locks)


CASE = {
    "file": "budget_allocation.yaml",
    # the self-contained hand-written chain: goalprog's lock tolerance may change later levels,
    # but by well under 1e-4 here
    "levels": lambda: expected()[0],
    "levels_source": "the hand-written PuLP chain above (near-exact locks); EXACT_LEVELS in test_level_values",
    "level_columns": ("stage_value",),
    "level_tolerance": {"abs": 1e-4},
    # weighted GP (priorities ignored, every deviation with its own weight) is one LP
    "weighted_objective": lambda: chain.hand_written_weighted(build, [1] * N_LEVELS),
    "weighted_source": "the hand-written PuLP model above, sum of its four level functions",
    "table_names": ("teaching", "budget", "doctoral_share", "student_ratio", "faculty_lines", "department_band",
                    "[0.95, 1.1]"),   # the last: the between target
}
