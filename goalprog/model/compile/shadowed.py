"""Settings of a file that another setting of the same item replaces, so they do nothing: warnings.

* a goal's ``weight``, ``priority`` or ``penalty`` when every deviation the goal penalises gives
  its own under ``under:`` / ``over:`` (``{at_least: 5, weight: 3, under: {weight: 2}}``: the
  weight 3 is never used);
* a scalar parameter's ``default`` (a default fills the members an indexed parameter's values
  leave out; a scalar has none).

:func:`check` appends one warning per such setting to ``ctx.warnings``, at its place in the file.
"""

from __future__ import annotations

from .context import CompileContext

_PENALISED = {"at_least": ("under",), "at_most": ("over",), "equal": ("under", "over"),
              "between": ("under", "over")}


def _where(ctx: CompileContext, path: tuple) -> str:
    loc = ctx.doc.location(path)
    return f"{loc.prefix()}: " if loc.prefix() else ""


def check(ctx: CompileContext) -> None:
    """Append to ``ctx.warnings`` a warning per setting that another setting replaces."""
    for name, gs in ctx.spec.goals.items():
        sides = _PENALISED.get(getattr(gs, "kind", None), ())
        if not sides:
            continue
        given = getattr(gs, "model_fields_set", set())
        for field in ("weight", "priority", "penalty"):
            if field not in given or getattr(gs, field) is None:
                continue
            own = [s for s in sides if getattr(gs, s) is not None and getattr(getattr(gs, s), field) is not None]
            if len(own) != len(sides):
                continue
            which = " and ".join(f"{s}.{field}" for s in own)
            ctx.warnings.append(
                f"{_where(ctx, ('goals', name, field))}goals.{name}.{field} does nothing: {which} "
                f"{'replace' if len(own) > 1 else 'replaces'} it for every deviation the goal penalises: "
                f"leave one of them out")
    for name, ps in ctx.spec.params.items():
        if getattr(ps, "default", None) is not None and not getattr(ps, "index", None):
            ctx.warnings.append(
                f"{_where(ctx, ('params', name, 'default'))}params.{name}.default does nothing: a default fills the "
                "members an indexed parameter's values leave out, and this parameter is not indexed: leave it out "
                "(or give the parameter an index:)")
