"""Extra ``goalprog`` sub-commands, one module each.

Every module here defines ``register(main)`` that adds its command(s) to the click group; the
CLI calls :func:`register_all` once.  Modules are imported only to register (their heavy imports
belong inside the command functions), so ``goalprog solve`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil


def register_all(main) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(main)
