"""The clothing factory, weighted goal program (weights 1, 1), written by hand with PuLP + HiGHS.

This is the reference a user would otherwise write; ``benchmarks/startup.py`` times it as a whole
process against ``goalprog solve problems/clothing_factory*.yaml``.

Pants p, shirts s, dresses d >= 0.  Profit 10p + 3s + 15d, cost 5p + s + 10d, waste
1.5p + s + 3d.  Hard: cost <= 50,000.  Goals: profit >= 150,000 and waste <= 20,000, each
unwanted deviation weighted 1.
"""

import pulp

prob = pulp.LpProblem("clothing_factory", pulp.LpMinimize)
p = pulp.LpVariable("pants", lowBound=0)
s = pulp.LpVariable("shirts", lowBound=0)
d = pulp.LpVariable("dresses", lowBound=0)
profit_under = pulp.LpVariable("profit_under", lowBound=0)
profit_over = pulp.LpVariable("profit_over", lowBound=0)
waste_under = pulp.LpVariable("waste_under", lowBound=0)
waste_over = pulp.LpVariable("waste_over", lowBound=0)

profit = 10 * p + 3 * s + 15 * d
cost = 5 * p + s + 10 * d
waste = 1.5 * p + s + 3 * d

prob += 1 * profit_under + 1 * waste_over                        # weighted unwanted deviations
prob += cost <= 50000, "budget"
prob += profit + profit_under - profit_over == 150000, "goal_profit"
prob += waste + waste_under - waste_over == 20000, "goal_waste"

prob.solve(pulp.HiGHS(msg=False))

print(f"status: {pulp.LpStatus[prob.status]}")
print(f"achievement: {pulp.value(prob.objective):,.0f}")
for v in (p, s, d):
    print(f"{v.name:8} {v.varValue + 0.0:>10,.0f}")
print(f"profit   {pulp.value(profit):>10,.0f}  (under {profit_under.varValue:,.0f}, over {profit_over.varValue:,.0f})")
print(f"waste    {pulp.value(waste):>10,.0f}  (under {waste_under.varValue:,.0f}, over {waste_over.varValue:,.0f})")
