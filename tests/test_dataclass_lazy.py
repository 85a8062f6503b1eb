"""goalprog._dataclass: the standard library's dataclasses, with methods other than ``__init__``
compiled on first call (a start-up saving, see the module).  These tests check that the classes
behave as plain dataclasses, and that each method, once made, is the standard library's own."""

import dataclasses
import importlib
import inspect
import pickle
import sys
from dataclasses import FrozenInstanceError, field

import pytest

from goalprog import _dataclass
from goalprog._dataclass import dataclass

GENERATED = ("__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__", "__le__", "__gt__", "__ge__")


def _pair(**params):
    """The same class body decorated by the standard dataclass and by goalprog's."""

    def body():
        class Point:
            x: int
            y: float = 0.5
            tags: list = field(default_factory=list, compare=False, repr=False)
            label: str = field(default="p", hash=False)

        return Point

    std = dataclasses.dataclass(**params)(body())
    lazy = dataclass(**params)(body())
    return std, lazy


def _code_key(fn):
    fn = inspect.unwrap(fn)
    c = fn.__code__
    return (c.co_code, c.co_consts, c.co_names, c.co_varnames, c.co_freevars, fn.__defaults__, fn.__kwdefaults__,
            fn.__name__, fn.__qualname__.rsplit(".<locals>.", 1)[-1])


@pytest.mark.parametrize("params", [dict(frozen=True), dict(), dict(frozen=True, order=True), dict(unsafe_hash=True),
                                    dict(eq=False), dict(frozen=True, repr=False)])
def test_the_lazy_dataclass_behaves_as_the_standard_one(params):
    std, lazy = _pair(**params)
    assert dataclasses.is_dataclass(lazy)
    assert [f.name for f in dataclasses.fields(lazy)] == [f.name for f in dataclasses.fields(std)]
    assert lazy.__dataclass_params__.__repr__() == std.__dataclass_params__.__repr__()
    assert lazy.__doc__ == std.__doc__
    assert str(inspect.signature(lazy)) == str(inspect.signature(std))
    assert lazy.__match_args__ == std.__match_args__
    assert (lazy.__hash__ is None) == (std.__hash__ is None)
    a, b, c = lazy(1, 2.0, [1], "a"), lazy(1, 2.0, [2], "b"), lazy(2)
    sa, sb, sc = std(1, 2.0, [1], "a"), std(1, 2.0, [2], "b"), std(2)
    if params.get("repr", True):
        assert repr(a).replace(lazy.__qualname__, "Q") == repr(sa).replace(std.__qualname__, "Q")
    else:
        assert "__repr__" not in lazy.__dict__
    assert (a == b, a == c, a != c, a == 1) == (sa == sb, sa == sc, sa != sc, sa == 1)
    if std.__hash__ is not None:
        assert (hash(a) == hash(b), hash(a) == hash(c)) == (hash(sa) == hash(sb), hash(sa) == hash(sc))
        assert hash(lazy(3, 1.0)) == hash(std(3, 1.0)) or not params.get("frozen")  # same fields, same tuple hash
    if params.get("order"):
        assert (a < c, a <= b, c > a, c >= a) == (sa < sc, sa <= sb, sc > sa, sc >= sa)
        with pytest.raises(TypeError):
            a < 1  # noqa: B015
    if params.get("frozen"):
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'") as got:
            a.x = 5
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'") as want:
            sa.x = 5
        assert str(got.value) == str(want.value)
        with pytest.raises(FrozenInstanceError):
            del a.y
    else:
        a.x = 7
        assert a.x == 7
    assert dataclasses.astuple(dataclasses.replace(c, x=9)) == dataclasses.astuple(lazy(9))
    assert dataclasses.asdict(b) == dataclasses.asdict(sb)


@pytest.mark.skipif(not _dataclass._LAZY, reason="plain dataclasses on this Python")
def test_each_method_once_used_is_the_standard_librarys():
    std, lazy = _pair(frozen=True, order=True)
    for name in GENERATED:
        if name in ("__repr__",):
            continue  # behind the standard recursion guard, which calls the stand-in: checked below
        assert getattr(lazy, name).__code__ is not getattr(std, name).__code__
    a, b = lazy(1), lazy(2)
    repr(a), a == b, hash(a), a < b, a <= b, a > b, a >= b
    for op in (lambda: setattr(a, "x", 3), lambda: delattr(a, "x")):
        with pytest.raises(FrozenInstanceError):
            op()
    for name in GENERATED:
        if name == "__repr__":
            continue
        assert name in lazy.__dict__
        assert _code_key(lazy.__dict__[name]) == _code_key(std.__dict__[name]), name
        assert lazy.__dict__[name].__qualname__ == f"{lazy.__qualname__}.{name}"
    # __repr__: the guard's wrapped function is the stand-in; what it runs is the standard __repr__
    assert repr(a) == repr(std(1)).replace(std.__qualname__, lazy.__qualname__)
    assert lazy.__repr__.__qualname__ == f"{lazy.__qualname__}.__repr__"


def test_init_is_compiled_at_once_and_the_class_pickles():
    _, lazy = _pair(frozen=True)
    sys.modules[__name__].PicklePoint = lazy  # pickle finds classes by module and name
    lazy.__qualname__ = "PicklePoint"
    try:
        p = lazy(4, 1.5, [1], "z")
        assert pickle.loads(pickle.dumps(p)) == p
    finally:
        del sys.modules[__name__].PicklePoint


def test_slots_classes_and_other_pythons_fall_back_to_the_standard_dataclass(monkeypatch):
    @dataclass(frozen=True, slots=True)
    class S:
        x: int

    assert S.__slots__ == ("x",) and S(1) == S(1) and hash(S(1)) == hash(S(1))
    monkeypatch.setattr(_dataclass, "_LAZY", False)

    @dataclass(frozen=True)
    class P:
        x: int

    assert "__eq__" in P.__dict__ and P(1) == P(1)


def test_the_standard_library_is_left_as_it_was():
    @dataclass(frozen=True)
    class A:
        x: int

    assert dataclasses._create_fn is _dataclass._create_fn if _dataclass._LAZY else True

    @dataclasses.dataclass(frozen=True)
    class B:
        x: int

    assert B.__eq__.__code__.co_filename == "<string>"  # made at once by the standard library


@pytest.mark.parametrize("module", ["goalprog.expr.ast", "goalprog.ir", "goalprog.results", "goalprog.errors",
                                    "goalprog.spec.loader", "goalprog.compile", "goalprog.expr.vector"])
def test_goalprogs_dataclasses_are_dataclasses_with_the_standard_signatures(module):
    mod = importlib.import_module(module)
    found = [c for c in vars(mod).values() if isinstance(c, type) and c.__module__ == module
             and dataclasses.is_dataclass(c)]
    assert found
    for cls in found:
        assert "__init__" in cls.__dict__ and cls.__init__.__code__.co_filename == "<string>"
        assert str(inspect.signature(cls)).startswith("(")
