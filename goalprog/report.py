"""``goalprog.report`` is :mod:`goalprog.output.report` (moved there; this documented import path stays).

The name is bound to the same module object, so ``from goalprog.report import ...`` and
``goalprog.report.X`` give exactly what ``goalprog.output.report`` has.  goalprog's own modules import
``goalprog.output.report`` (tests/test_layers.py checks that none imports this alias).
"""

import sys

from .output import report as _module

sys.modules[__name__] = _module
