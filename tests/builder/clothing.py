"""The clothing factory built with goalprog.Model (shared by the builder tests).

pants p, shirts s, dresses d >= 0; profit = 10p + 3s + 15d; cost = 5p + s + 10d <= 50,000;
waste = 1.5p + s + 3d; goals profit >= 150,000 and waste <= 20,000 (docs/format.md).
"""

import goalprog

PRODUCTS = {"pants": (10, 5, 1.5), "shirts": (3, 1, 1), "dresses": (15, 10, 3)}  # profit, cost, waste per unit


def clothing(weights=(1, 1), priorities=None, name="clothing_factory"):
    """The scalar clothing factory; ``priorities`` (profit's, waste's) makes it preemptive."""
    m = goalprog.Model(name, "Monthly plan within a $50,000 budget")
    m.variable("pants", lower=0).variable("shirts", lower=0).variable("dresses", lower=0)
    m.expression("profit", "10*pants + 3*shirts + 15*dresses", units="dollars")
    m.expression("cost", "5*pants + shirts + 10*dresses", units="dollars")
    m.expression("waste", "1.5*pants + shirts + 3*dresses", units="yards")
    m.constraint("budget", "cost <= 50000")
    if priorities:
        m.goal("profit", "profit", at_least=150000, priority=priorities[0])
        m.goal("waste", "waste", at_most=20000, priority=priorities[1])
        m.settings(method="preemptive")
    else:
        m.goal("profit", "profit", at_least=150000, weight=weights[0])
        m.goal("waste", "waste", at_most=20000, weight=weights[1])
    return m
