"""problems/media_selection.yaml: its published answer and a hand-written PuLP model.

Source: W. L. Winston, Operations Research: Applications and Algorithms (4th ed., 2004),
section 4.14 "Goal Programming", the Leon Burnit Advertising Agency example (x1 football ads,
x2 soap-opera ads; 100 x1 + 60 x2 <= 600 in $1,000; goals 7 x1 + 3 x2 >= 40 (HIM),
10 x1 + 5 x2 >= 60 (LIP), 5 x1 + 4 x2 >= 35 (HIW); penalties 200, 100, 50 per million short).
Published answers, both x1 = 6, x2 = 0, HIM 42, LIP 60, HIW 30:
* weighted: z = 200 s1- + 100 s2- + 50 s3- = 250 (s3- = 5);
* preemptive HIM > LIP > HIW: goals 1 and 2 met, HIW 5 million short.
Checked by hand: once LIP is met (2 x1 + x2 >= 12) the budget (5 x1 + 3 x2 <= 30) leaves the single
point (6, 0); with x2 > 0, 2 x1 + x2 <= 12 - x2 / 5 < 12.

Budget variants (not in the book) are checked against a hand-written PuLP model built from the
same CSV files; at a budget of 550 the integer answer (5 football ads; levels 1000, 1000, 500) is
far from the LP relaxation (levels 300, 500, 375), so the test also fails if integrality is lost.
"""

import copy
import csv

import pulp
import yaml

import goalprog
from tests.helpers import PROBLEMS

FILE = PROBLEMS / "media_selection.yaml"
DATA = PROBLEMS / "data" / "media_selection"

# Winston's published answer
PUBLISHED_ADS = {"Football": 6, "Soap_opera": 0}
PUBLISHED_REACH = {"HIM": 42, "LIP": 60, "HIW": 30}
PUBLISHED_SHORT = {"HIM": 0, "LIP": 0, "HIW": 5}          # million people
PUBLISHED_WEIGHTED_Z = 250                                 # $1,000
PUBLISHED_LEVELS = [0, 0, 50 * 5]                          # penalty of each level's goal: HIM, LIP, HIW

CASE = {
    "file": "media_selection.yaml",
    "levels": PUBLISHED_LEVELS,
    "levels_source": "Winston (2004), section 4.14: HIM and LIP met, HIW 5 million short (penalty 50 each)",
    "level_columns": ("achievement", "stage_value"),
    "level_tolerance": {"rel": 1e-6, "abs": 1e-6},
    "weighted_objective": PUBLISHED_WEIGHTED_Z,
    "weighted_source": "Winston (2004), section 4.14: z = 200 s1- + 100 s2- + 50 s3- = 250",
    "table_names": ("reach_rank_1[HIM]", "reach_rank_2[LIP]", "reach_rank_3[HIW]", "ads[Football]"),
}


def read(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def load_data():
    cost = {r["medium"]: float(r["cost"]) for r in read("media.csv")}
    aud = {r["audience"]: (float(r["target"]), float(r["penalty"]), int(r["rank"])) for r in read("audiences.csv")}
    exposure = {(r["medium"], r["audience"]): float(r["exposure"]) for r in read("exposure.csv")}
    (b,) = read("budget.csv")
    return cost, aud, exposure, float(b["budget"])


def reference(method, budget=None, cat=pulp.LpInteger):
    """Hand-written PuLP goal program: (level values or [z], ads)."""
    cost, aud, exposure, file_budget = load_data()
    budget = file_budget if budget is None else budget
    m = pulp.LpProblem("media_reference", pulp.LpMinimize)
    ads = {k: pulp.LpVariable(f"ads_{k}", 0, None, cat) for k in cost}
    short = {a: pulp.LpVariable(f"short_{a}", 0) for a in aud}
    m += pulp.lpSum(cost[k] * ads[k] for k in cost) <= budget
    for a, (target, _, _) in aud.items():
        m += pulp.lpSum(exposure[k, a] * ads[k] for k in cost) + short[a] >= target
    solver = pulp.HiGHS(msg=False, mip_rel_gap=0.0)
    if method == "weighted":
        objs = [pulp.lpSum(pen * short[a] for a, (_, pen, _) in aud.items())]
    else:
        objs = [aud[a][1] * short[a] for a in sorted(aud, key=lambda a: aud[a][2])]
    values = []
    for k, obj in enumerate(objs):
        m.setObjective(obj)
        assert m.solve(solver) == pulp.LpStatusOptimal
        values.append(pulp.value(obj))
        m += obj <= values[-1] + 1e-6, f"lock_{k}"
    return values, {k: v.value() for k, v in ads.items()}


def with_budget(budget):
    """The shipped file with another budget (everything else read from the same CSV files)."""
    data = yaml.safe_load(FILE.read_text())
    data = copy.deepcopy(data)
    data["params"]["budget"] = budget
    return goalprog.from_dict(data, base_dir=PROBLEMS)
