"""problems/staff_scheduling.yaml: an independent hand-written PuLP model.

The expected values are NOT taken from goalprog: the reference reads the same CSV files with the
csv module, builds the preemptive goal program directly in PuLP (explicit deviation variables, one
HiGHS MILP per priority level, each level's optimum fixed before the next) and compares.

Model: nurses work one shift h (early/late/night) on a pattern p (five days on, two consecutive
days off); staff[p, h] and overtime[d, h] are integers, 0 <= overtime <= overtime_max[d, h],
sum(staff) <= headcount (hard).
  level 1: sum over (d, h) of cover_weight[h] * max(0, required[d, h] - on_duty[d, h] - overtime[d, h])
  level 2: max(0, sum(overtime) - overtime_budget)
  level 3: max(0, sum(dislike[p] * staff[p, h]) - dislike_target)
With the shipped data the answer is (8, 4, 17); the LP relaxation gives (6, 10/3, 52/3), so the
test fails if integrality is lost, and it fails if the shift weights are ignored (see
test_the_data_is_discriminating).  The integer program has alternative optimal rosters, so
variables are not compared one by one; the plan goalprog returns is checked for feasibility and
its achievements are recomputed here from its variable values.
"""

import csv
import functools

import pulp

from tests.helpers import PROBLEMS

FILE = PROBLEMS / "staff_scheduling.yaml"
DATA = PROBLEMS / "data" / "staff_scheduling"

EXPECTED_LEVELS = [8.0, 4.0, 17.0]   # what the hand model below gives; asserted in test_reference_model


def read(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def load_data():
    days = [r["day"] for r in read("days.csv")]
    shifts = {r["shift"]: float(r["cover_weight"]) for r in read("shifts.csv")}
    dislike = {r["pattern"]: float(r["dislike"]) for r in read("patterns.csv")}
    works = {(r["pattern"], r["day"]) for r in read("pattern_days.csv")}
    req = {(r["day"], r["shift"]): float(r["required"]) for r in read("requirements.csv")}
    cap = {(r["day"], r["shift"]): float(r["overtime_max"]) for r in read("requirements.csv")}
    (t,) = read("targets.csv")
    targets = {k: float(v) for k, v in t.items()}
    return days, shifts, dislike, works, req, cap, targets


def reference(cat=pulp.LpInteger, cover_weights=None):
    """Preemptive GP written out by hand in PuLP; returns (level values, plan).

    ``cover_weights`` replaces level 1 by one level per list entry (shift -> weight), in order.
    """
    days, shifts, dislike, works, req, cap, t = load_data()
    cover_weights = cover_weights or [shifts]
    m = pulp.LpProblem("staff_reference", pulp.LpMinimize)
    staff = {(p, h): pulp.LpVariable(f"staff_{p}_{h}".replace("-", "_"), 0, None, cat) for p in dislike for h in shifts}
    ot = {(d, h): pulp.LpVariable(f"ot_{d}_{h}", 0, cap[d, h], cat) for d in days for h in shifts}
    short = {(d, h): pulp.LpVariable(f"short_{d}_{h}", 0) for d in days for h in shifts}
    ot_over = pulp.LpVariable("ot_over", 0)
    dislike_over = pulp.LpVariable("dislike_over", 0)
    m += pulp.lpSum(staff.values()) <= t["headcount"]
    for d in days:
        for h in shifts:
            on_duty = pulp.lpSum(staff[p, h] for p in dislike if (p, d) in works)
            m += on_duty + ot[d, h] + short[d, h] >= req[d, h]
    m += pulp.lpSum(ot.values()) - ot_over <= t["overtime_budget"]
    m += pulp.lpSum(dislike[p] * staff[p, h] for p in dislike for h in shifts) - dislike_over <= t["dislike_target"]
    levels = [pulp.lpSum(w[h] * short[d, h] for d in days for h in shifts) for w in cover_weights]
    levels += [1 * ot_over, 1 * dislike_over]
    values = []
    solver = pulp.HiGHS(msg=False, mip_rel_gap=0.0)
    for k, obj in enumerate(levels):
        m.setObjective(obj)
        assert m.solve(solver) == pulp.LpStatusOptimal
        v = pulp.value(obj)
        values.append(v)
        m += obj <= v + 1e-6, f"lock_{k}"
    plan = {"staff": {k: v.value() for k, v in staff.items()}, "overtime": {k: v.value() for k, v in ot.items()},
            "short": {k: v.value() for k, v in short.items()}}
    return values, plan


@functools.lru_cache(maxsize=None)
def reference_levels():
    """The hand model's level values (once per process)."""
    values, _ = reference()
    return tuple(values)


def achievements(staff, overtime):
    """The three level values of a roster, computed from the CSV data (not by goalprog)."""
    days, shifts, dislike, works, req, cap, t = load_data()
    level1 = sum(shifts[h] * max(0.0, req[d, h] - sum(staff[p, h] for p in dislike if (p, d) in works) - overtime[d, h])
                 for d in days for h in shifts)
    level2 = max(0.0, sum(overtime.values()) - t["overtime_budget"])
    level3 = max(0.0, sum(dislike[p] * staff[p, h] for p in dislike for h in shifts) - t["dislike_target"])
    return [level1, level2, level3]


CASE = {
    "file": "staff_scheduling.yaml",
    "levels": reference_levels,
    "levels_source": "the hand-written PuLP model above (8, 4, 17: EXPECTED_LEVELS, test_reference_model)",
    "level_columns": ("achievement", "stage_value"),
    "level_tolerance": {"rel": 1e-6, "abs": 1e-6},
    "table_names": ("cover[Mon,early]", "cover[Sun,night]", "overtime_budget", "days_off_preference",
                    "staff[Sat-Sun,early]"),
}
