"""``goalprog.sweep`` is :mod:`goalprog.analysis.sweep` (moved there; this documented import path stays).

The name is bound to the same module object, so ``from goalprog.sweep import ...`` and
``goalprog.sweep.X`` give exactly what ``goalprog.analysis.sweep`` has.  goalprog's own modules import
``goalprog.analysis.sweep`` (tests/test_layers.py checks that none imports this alias).
"""

import sys

from .analysis import sweep as _module

sys.modules[__name__] = _module
