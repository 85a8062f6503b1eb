"""The stage packages import one way (docs/architecture.md).

Every module of goalprog is read with :mod:`ast` (never imported), every ``import`` and
``from ... import`` in it is collected, at module level and inside functions alike (the lazy
imports that keep ``goalprog --help`` fast), relative ones resolved against the module's package.
Each module belongs to a layer by its package; an import of a higher layer is an upward edge.
The tests fail on:

- an upward edge that is not in :data:`ALLOWED_UPWARD` (which holds at most one);
- a circle between packages (a package reaching, through any chain of imports, back to itself);
- a private name (``_x``) imported from another package;
- goalprog importing its own old module paths (``goalprog.errors`` ...), which exist for users only.

The checker itself is tested on a made-up package with a bad edge, so these tests can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "goalprog"

LAYERS = {
    "core": 0, "spec": 1, "model": 2, "solve": 3, "api": 4, "analysis": 5, "output": 6, "cli": 7,
}
"""Package -> layer.  ``api`` is the package's top level: ``goalprog/__init__.py`` and
``goalprog/problem.py`` (``load``, ``from_dict``, ``Problem``); analyses and output drive it."""

TOP_LEVEL = {"goalprog": "api", "goalprog.problem": "api", "goalprog.__main__": "cli"}

ALLOWED_UPWARD = {
    # Result._repr_html_ renders a result as the report's HTML in a notebook: the data class
    # (solve) calls the output layer lazily, on display only.
    ("goalprog.solve.results", "goalprog.output.report"),
}

OLD_PATHS = ("goalprog.errors", "goalprog.report", "goalprog.sweep", "goalprog.overrides", "goalprog.crosscheck",
             "goalprog.pareto")
"""Documented import paths kept for users by goalprog/__init__.py's import hook."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path, root: Path) -> list[tuple[str, list[str], int]]:
    """``(imported module, names imported from it, line)`` for every goalprog import in ``path``."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = root.name
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == top]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == top:
                out.append((target, [a.name for a in node.names], node.lineno))
    return out


def package_of(module: str, top_level: dict) -> str:
    if module in top_level:
        return top_level[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else top_level.get(module, "api")


def edges(root: Path, top_level: dict) -> list[tuple[str, str, list[str], int]]:
    """``(module, imported module, names, line)`` for every goalprog import under ``root``."""
    out = []
    for path in sorted(root.rglob("*.py")):
        mod = module_name(path, root)
        for target, names, line in imports(path, root):
            # ``from goalprog.pkg import module``: the edge goes to the module when it is one
            for n in names:
                sub = root.parent.joinpath(*f"{target}.{n}".split("."))
                if sub.with_suffix(".py").exists() or (sub / "__init__.py").exists():
                    out.append((mod, f"{target}.{n}", [], line))
                    break
            else:
                out.append((mod, target, names, line))
    return out


def upward(all_edges, top_level, layers=LAYERS):
    return sorted({(a, b) for a, b, _, _ in all_edges
                   if layers[package_of(b, top_level)] > layers[package_of(a, top_level)]})


def package_circles(all_edges, top_level, allowed=ALLOWED_UPWARD) -> list[list[str]]:
    """Circles in the graph of packages, leaving out the allowed upward edge (lazy, on display only:
    with it, solve -> output -> solve)."""
    graph: dict[str, set] = {}
    for a, b, _, _ in all_edges:
        if (a, b) in allowed:
            continue
        pa, pb = package_of(a, top_level), package_of(b, top_level)
        if pa != pb:
            graph.setdefault(pa, set()).add(pb)
    circles = []
    for start in sorted(graph):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    circles.append(trail + [start])
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
    return circles


def private_crossings(all_edges, top_level) -> list[tuple[str, str, str]]:
    return sorted((a, b, n) for a, b, names, _ in all_edges for n in names
                  if n.startswith("_") and not n.startswith("__")
                  and package_of(a, top_level) != package_of(b, top_level))


EDGES = edges(ROOT, TOP_LEVEL)


def test_every_module_is_in_a_layer():
    modules = {module_name(p, ROOT) for p in ROOT.rglob("*.py")}
    for m in modules:
        assert package_of(m, TOP_LEVEL) in LAYERS, m
    assert len(modules) > 40 and len(EDGES) > 150  # the walk found the code (lazy imports included)
    # a lazy import inside a function is seen: cli/app.py imports the report only when asked
    assert ("goalprog.cli.app", "goalprog.output.report") in {(a, b) for a, b, _, _ in EDGES}


def test_at_most_one_upward_import_and_only_the_allowed_one():
    assert len(ALLOWED_UPWARD) <= 1
    assert set(upward(EDGES, TOP_LEVEL)) <= ALLOWED_UPWARD, upward(EDGES, TOP_LEVEL)


def test_no_import_circle_between_packages():
    assert package_circles(EDGES, TOP_LEVEL) == []


def test_no_private_name_crosses_a_package():
    assert private_crossings(EDGES, TOP_LEVEL) == []


def test_goalprog_does_not_import_its_own_old_paths():
    used = sorted((a, b) for a, b, _, _ in EDGES if b in OLD_PATHS or any(b.startswith(o + ".") for o in OLD_PATHS))
    assert used == []


def test_the_old_paths_give_the_moved_modules():
    import importlib
    import warnings

    import goalprog.core.errors

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # tested in a fresh interpreter below
        for old, new in (("errors", "core.errors"), ("report", "output.report"), ("sweep", "analysis.sweep"),
                         ("overrides", "spec.overrides"), ("crosscheck", "analysis.crosscheck"),
                         ("pareto", "solve.pareto")):
            moved = importlib.import_module(f"goalprog.{new}")
            assert importlib.import_module(f"goalprog.{old}") is moved
            assert moved.__spec__.name == f"goalprog.{new}" and moved.__name__ == f"goalprog.{new}"
        from goalprog.errors import GoalProgError
        from goalprog.report import write_html  # noqa: F401
        from goalprog.sweep import sweep  # noqa: F401

    assert GoalProgError is goalprog.core.errors.GoalProgError
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("goalprog.no_such_module")


# --- the checker can fail: a made-up package with the kinds of import it must refuse ---------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "goalprog"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for d in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (d / "__init__.py").touch()
    return root


def test_the_checker_finds_an_upward_lazy_import_and_the_circle_it_makes(tmp_path):
    root = _package(tmp_path, {
        "core/errors.py": "class GoalProgError(Exception):\n    pass\n",
        "model/ir.py": "from ..core.errors import GoalProgError\n\n\ndef helper():\n"
                       "    from ..solve.achievement import achievement  # the deliberately bad edge\n"
                       "    return achievement\n",
        "solve/achievement.py": "from ..model import ir\n\n\ndef achievement():\n    return ir\n",
    })
    found = edges(root, TOP_LEVEL)
    assert ("goalprog.model.ir", "goalprog.solve.achievement") in upward(found, TOP_LEVEL)
    assert ["model", "solve", "model"] in package_circles(found, TOP_LEVEL)
    # without the bad edge the same package passes
    (root / "model/ir.py").write_text("from ..core.errors import GoalProgError\n", encoding="utf-8")
    found = edges(root, TOP_LEVEL)
    assert upward(found, TOP_LEVEL) == [] and package_circles(found, TOP_LEVEL) == []


def test_the_checker_finds_a_private_name_from_another_package(tmp_path):
    root = _package(tmp_path, {
        "solve/strategies/preemptive.py": "def _locks():\n    pass\n",
        "output/export.py": "from goalprog.solve.strategies.preemptive import _locks\n",
    })
    found = edges(root, TOP_LEVEL)
    assert private_crossings(found, TOP_LEVEL) == [
        ("goalprog.output.export", "goalprog.solve.strategies.preemptive", "_locks")]


def test_an_old_path_imported_first_in_a_fresh_interpreter_gives_the_moved_module():
    import subprocess
    import sys

    code = ("import sys, goalprog.sweep as old; new = sys.modules['goalprog.analysis.sweep']; "
            "assert old is new and new.__spec__.name == 'goalprog.analysis.sweep'; "
            "from goalprog.errors import GoalProgError; import goalprog.core.errors as e; "
            "assert GoalProgError is e.GoalProgError; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_an_old_path_warns_at_the_importing_line_and_names_the_new_path():
    import subprocess
    import sys

    code = ("import warnings; warnings.simplefilter('always')\n"
            "import goalprog.report as old\n"
            "from goalprog.sweep import sweep\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "DeprecationWarning" in ln]
    assert lines == [
        "<string>:2: DeprecationWarning: goalprog.report is deprecated and will be removed: import "
        "goalprog.output.report (the same module)",
        "<string>:3: DeprecationWarning: goalprog.sweep is deprecated and will be removed: import "
        "goalprog.analysis.sweep (the same module)"], proc.stderr


def test_from_goalprog_import_old_name_warns_at_the_users_line_under_default_filters(tmp_path):
    """``from goalprog import report`` goes through ``goalprog.__getattr__`` and
    ``importlib.import_module``: the warning was attributed to importlib/__init__.py, which the
    default filters hide.  Now it points at the user's line, so a plain ``python script.py`` shows it."""
    import subprocess
    import sys

    script = tmp_path / "user.py"
    script.write_text("x = 1\nfrom goalprog import report\nimport importlib\n"
                      "importlib.import_module('goalprog.pareto')\nimport goalprog.errors\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "DeprecationWarning" in ln]
    assert lines == [f"{script}:2: DeprecationWarning: goalprog.report is deprecated and will be removed: import "
                     "goalprog.output.report (the same module)",
                     f"{script}:4: DeprecationWarning: goalprog.pareto is deprecated and will be removed: import "
                     "goalprog.solve.pareto (the same module)",
                     f"{script}:5: DeprecationWarning: goalprog.errors is deprecated and will be removed: import "
                     "goalprog.core.errors (the same module)"], proc.stderr


def test_nothing_but_the_hook_test_uses_an_old_path():
    """goalprog itself, its docs and the other tests import the new paths (the old ones warn); the
    hook, its tests and docs/architecture.md's paragraph on it name them."""
    import re

    root = Path(__file__).resolve().parents[1]
    old = re.compile(r"goalprog\.(errors|report|sweep|overrides|crosscheck|pareto)\b")
    files = [root / "README.md", *(root / "docs").rglob("*.md"), *(root / "goalprog").rglob("*.py"),
             *(root / "tests").rglob("*.py")]
    exempt = {root / "tests" / "test_layers.py", root / "goalprog" / "__init__.py", root / "docs" / "architecture.md"}
    hits = [f"{p.relative_to(root)}:{i}" for p in files if p not in exempt
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if old.search(line)]
    assert hits == []
