"""Issue 14: the native lexicographic cross-check proves its MIP levels (gap 0), as goalprog does.

The 12-binary knapsack chain of tests/solve/test_mip_proven.py (values near 430,000, expected
values by brute force over all 4,096 subsets): at HiGHS's default relative gap of 1e-4 its level 1
stopped 12 below the optimum and level 2 bought preference with the lost value.
"""

from __future__ import annotations

import goalprog
from goalprog.analysis.crosscheck import native_lexicographic
from tests.solve.test_mip_proven import BEST_PREFERENCE, BEST_VALUE, KNAPSACK


def test_native_lexicographic_reaches_the_brute_force_optimum():
    values = native_lexicographic(goalprog.from_dict(KNAPSACK).model)
    assert values == [float(BEST_VALUE), float(BEST_PREFERENCE)]
