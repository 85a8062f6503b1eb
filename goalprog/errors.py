"""``goalprog.errors`` is :mod:`goalprog.core.errors` (moved there; this documented import path stays).

The name is bound to the same module object, so ``from goalprog.errors import ...`` and
``goalprog.errors.X`` give exactly what ``goalprog.core.errors`` has.  goalprog's own modules import
``goalprog.core.errors`` (tests/test_layers.py checks that none imports this alias).
"""

import sys

from .core import errors as _module

sys.modules[__name__] = _module
