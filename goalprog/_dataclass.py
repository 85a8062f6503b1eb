"""``dataclass`` as in the standard library, with the generated methods other than ``__init__``
compiled when they are first called.

Start-up cost, not behaviour: on Python 3.11 and 3.12, ``dataclasses.dataclass`` compiles the
source of every method it adds (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, and for a
frozen class ``__setattr__`` and ``__delattr__``) with a separate ``exec``, about half a million
instructions each.  goalprog defines some 40 dataclasses on the solve path, and compiling their
methods was about 8 % of the instructions of ``goalprog solve`` on a small file, though a run
calls few of them (``__setattr__`` of a frozen class only raises; ``__repr__`` is for people).

Here each method other than ``__init__`` starts as a small stand-in that compiles the real method,
from the same source the standard library would have compiled, on its first call, puts it on the
class in its own place, and calls it.  From then on the class holds exactly the method
``dataclasses`` would have made.  ``__init__`` is compiled at once, because the class's signature
(``inspect.signature``, and the docstring ``dataclasses`` derives from it) comes from it.  The
stand-in of ``__repr__`` stays behind the standard library's recursion guard, which it calls.

Python 3.13 compiles a class's methods in one go and dropped the private ``dataclasses._create_fn``
this relies on; there (and for ``slots=True``, which makes a new class) this is plain ``dataclass``.
``tests/test_dataclass_lazy.py`` checks that the methods, once made, are the standard ones.
"""

from __future__ import annotations

import dataclasses
import sys
import threading

_create_fn = getattr(dataclasses, "_create_fn", None)
_LAZY = sys.version_info < (3, 13) and callable(_create_fn)
_lock = threading.Lock()


def _stand_in(cls, name, args, body, globals, locals, return_type):
    real = None
    locals = dict(locals) if locals is not None else None

    def method(*a, **k):
        nonlocal real
        if real is None:
            fn = _create_fn(name, args, body, globals=globals, locals=locals, return_type=return_type)
            fn.__qualname__ = method.__qualname__  # dataclasses set the stand-in's qualified name
            if cls.__dict__.get(name) is method:
                type.__setattr__(cls, name, fn)
            real = fn
        return real(*a, **k)

    method.__name__ = name
    return method


def dataclass(cls=None, /, **kwargs):
    """:func:`dataclasses.dataclass`, with methods other than ``__init__`` compiled on first call."""

    def wrap(cls):
        if not _LAZY or kwargs.get("slots"):
            return dataclasses.dataclass(cls, **kwargs)

        def create_fn(name, args, body, *, globals=None, locals=None, return_type=dataclasses.MISSING):
            if name == "__init__":
                return _create_fn(name, args, body, globals=globals, locals=locals, return_type=return_type)
            return _stand_in(cls, name, args, body, globals, locals, return_type)

        with _lock:
            dataclasses._create_fn = create_fn
            try:
                return dataclasses.dataclass(cls, **kwargs)
            finally:
                dataclasses._create_fn = _create_fn

    return wrap if cls is None else wrap(cls)
