"""Sensitivity of a solved plan (``Problem.solve(sensitivity=True)``): constraint rates, target
rates and ranges, weight ranges, by parametric re-solves of each stage (see :mod:`.compute`)."""

from .compute import RANGE_COLUMNS, RANGES, ranges_mode, sensitivity, stage_models, with_sensitivity
from .records import ConstraintRate, LevelRate, Sensitivity, TargetRate, WeightRange

__all__ = ["sensitivity", "ranges_mode", "RANGES", "RANGE_COLUMNS", "stage_models", "with_sensitivity", "Sensitivity", "ConstraintRate", "TargetRate",
           "WeightRange", "LevelRate"]
