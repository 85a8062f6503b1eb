"""problems/production_planning_weighted.yaml: production_planning.yaml's goal program with its four
priority levels folded into one objective by the level multipliers 8, 4, 2, 1 (its header says so).

Reference: the hand-written PuLP model of :mod:`tests.library.cases.production_planning`, one LP
minimising ``8 h_1 + 4 h_2 + 2 h_3 + h_4`` over the same CSV data (no goalprog).
"""

from tests.library.cases.production_planning import hand_written_levels, instance

CASE = {
    "file": "production_planning_weighted.yaml",
    "weighted_objective": lambda: hand_written_levels(instance(), [8.0, 4.0, 2.0, 1.0]),
    "weighted_source": "the hand-written PuLP model of production_planning.py with multipliers 8, 4, 2, 1",
    "table_names": ("meet_demand[p0001,1]", "overtime_budget", "waste", "profit"),
}
