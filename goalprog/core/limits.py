"""Size limits that keep an untrusted problem file from exhausting memory or time.

A problem file can describe a model far larger than it is itself (``range: [1, 40000000]``, a
``for:`` over the product of big sets, a sum over a product).  Before such a model is built, its
size is estimated, and while it is built a running count of instances and nonzeros is kept; past
the limit, loading stops with a located :class:`~goalprog.core.errors.SizeLimitError` (exit code 3)
that gives the size and the option that raises the limit.

One number sets the limits: ``max_nonzeros`` (default :data:`DEFAULT_MAX_NONZEROS`, 50 million),
the number of nonzero coefficients the compiled model may have.  Sets, variables and the
bindings of one item (the rows of a ``for:`` header or of a ``sum``, before filters) may have a
tenth of it as members or instances (:attr:`Limits.max_instances`, 5 million at the default): a
member or an instance costs about as much memory as ten nonzeros.

The command line's ``--max-nonzeros N`` and ``goalprog.load(..., max_nonzeros=N)`` /
``goalprog.from_dict(..., max_nonzeros=N)`` raise (or lower) the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_NONZEROS = 50_000_000
INSTANCE_SHARE = 10  # a member or an instance counts as this many nonzeros
MAX_EXPRESSION_TERMS = 100_000  # terms (operands) of one expression text, checked before it is parsed
MAX_NESTING = 200  # levels of lists and dicts inside each other in a dict given to from_dict
MAX_EVAL_DEPTH = 150  # operators and named expressions inside each other when an expression is evaluated
HINT = ("raise the limit with --max-nonzeros N on the command line, or max_nonzeros=N in goalprog.load / "
        "goalprog.from_dict, if the machine has the memory for it")


@dataclass(frozen=True)
class Limits:
    """The size limits of one load: ``max_nonzeros`` (count of nonzero coefficients)."""

    max_nonzeros: int = DEFAULT_MAX_NONZEROS

    @property
    def max_instances(self) -> int:
        """Members of one set, columns of one variable, bindings of one item: a tenth of max_nonzeros."""
        return max(1, self.max_nonzeros // INSTANCE_SHARE)

    def instance_hint(self) -> str:
        return (f"the limit is a tenth of the nonzero limit ({self.max_nonzeros:,}); " + HINT)

    def nonzero_hint(self) -> str:
        return f"the limit is {self.max_nonzeros:,} nonzeros; " + HINT


_default = Limits()


def default_limits() -> Limits:
    """The limits used when a load does not give its own (set by the command line)."""
    return _default


def set_default_max_nonzeros(value: int | None) -> None:
    """Set the process-wide limit (the command line's ``--max-nonzeros``); ``None`` keeps it."""
    global _default
    if value is not None:
        _default = make_limits(value)


def make_limits(max_nonzeros) -> Limits:
    """:class:`Limits` from an API argument; ``None`` gives the default.

    Raises :class:`~goalprog.core.errors.ArgumentError` unless ``max_nonzeros`` is a whole number >= 1.
    """
    if max_nonzeros is None:
        return _default
    if isinstance(max_nonzeros, bool) or not isinstance(max_nonzeros, int) or max_nonzeros < 1:
        from .errors import ArgumentError, clip

        raise ArgumentError(f"max_nonzeros must be a whole number >= 1, got {clip(repr(max_nonzeros))}",
                            hint=f"the default is {DEFAULT_MAX_NONZEROS:,}")
    return Limits(int(max_nonzeros))


def product_text(parts) -> str:
    """``[("I", 40000), ("J", 1000)]`` -> ``"I (40,000) x J (1,000)"``."""
    return " x ".join(f"{name} ({size:,})" for name, size in parts)
