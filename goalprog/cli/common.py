"""What every ``goalprog`` command shares: exit codes, the error guard, messages on stderr, shared
options (``--data-root``, ``--max-nonzeros``), the ``--solver`` name check, and importing the
solver side of goalprog when a command needs it.

Sub-commands (:mod:`goalprog.cli.commands`) import these names from :mod:`goalprog.cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.formatting import terminal_text

def _docs_folder() -> str:
    """Where goalprog's documentation is: the ``docs/`` folder of a source checkout, else the copy
    an installed wheel puts in ``<prefix>/share/doc/goalprog`` (pyproject's data-files)."""
    here = Path(__file__).resolve().parents[2] / "docs"
    if (here / "format.md").is_file():
        return str(here)
    installed = Path(sys.prefix) / "share" / "doc" / "goalprog"
    if (installed / "format.md").is_file():
        return str(installed)
    return "the docs folder of goalprog's source"


DOCS = _docs_folder()
"""The folder of goalprog's docs (format.md, methods.md, errors.md, ...), for --help texts."""

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_BAD_FILE = 3
EXIT_INFEASIBLE = 4
EXIT_UNBOUNDED = 5
EXIT_NOT_PROVEN = 6
EXIT_SOLVER = 7

EXIT_CODES_HELP = """\b
Exit codes:
  0  solved to proven optimality     4  infeasible
  1  internal error (a bug)          5  unbounded (or infeasible-or-unbounded)
  2  usage error                     6  stopped at a limit, not proven optimal
  3  the problem file has errors     7  backend or solver error
"""

VALIDATE_EXIT_HELP = """\b
Exit codes:
  0  the file is valid               2  usage error
  1  internal error (a bug)          3  the file has errors (printed as file:line:col)
"""


_PIPE_EXIT = [EXIT_OK]


def exit_on_broken_pipe(code: int) -> None:
    """The exit code a command ends with if its output is cut off by a closed pipe (``goalprog solve
    ... | head``): the code it would end with otherwise (a closed pipe is not an error, and must
    not hide an infeasible or unproven result either)."""
    _PIPE_EXIT[0] = code


def broken_pipe_exit() -> int:
    """The code set by :func:`exit_on_broken_pipe` (0 unless a command set one)."""
    return _PIPE_EXIT[0]


def status_exit(status) -> int:
    from ..core.status import Status

    return {
        Status.OPTIMAL: EXIT_OK,
        Status.INFEASIBLE: EXIT_INFEASIBLE,
        Status.UNBOUNDED: EXIT_UNBOUNDED,
        Status.INFEASIBLE_OR_UNBOUNDED: EXIT_UNBOUNDED,
        Status.FEASIBLE: EXIT_NOT_PROVEN,
        Status.LIMIT_NO_SOLUTION: EXIT_NOT_PROVEN,
        Status.ERROR: EXIT_SOLVER,
        Status.NOT_SOLVED: EXIT_SOLVER,
    }[status]


def import_goalprog():
    """``goalprog`` with its solver side imported (numpy, pydantic, the compiler).

    ``import goalprog`` alone is cheap (``goalprog --help`` needs no more); the commands that load
    a problem import the rest here.  The imports create some 60,000 objects that live as long as
    the process (modules, classes, functions): the garbage collector is paused while they are made
    and then told to leave them alone (``gc.freeze``) instead of tracing them again during the run.
    Objects made later are collected as usual.  (About 6 % of the instructions of ``goalprog solve``
    on a small file.)

    pydantic plugins are not loaded for goalprog's own schema: building the schema's validators
    would otherwise make pydantic read the entry points of every installed distribution (about 1 %
    of a small solve; an installed plugin such as logfire's adds its own imports, reported at over
    0.1 s), to observe validation that is internal to the command.  ``PYDANTIC_DISABLE_PLUGINS=1``
    is set for this import only, and only when the variable is not set already: a value of your own
    (an empty one loads every plugin) is respected, and no child process inherits ours.
    """
    import gc
    import os

    import goalprog

    if "goalprog.problem" in sys.modules:  # imported already (the CLI called from Python): nothing to do
        return goalprog
    plugins_default = "PYDANTIC_DISABLE_PLUGINS" not in os.environ
    if plugins_default:
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        import goalprog.problem  # noqa: F401
    finally:
        if was_enabled:
            gc.enable()
        if plugins_default:
            os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)
    gc.freeze()
    return goalprog


def fail(message: str, code: int, hint: str | None = None):
    echo_err(f"goalprog: {message}")
    if hint:
        echo_err(f"  hint: {hint}")
    sys.exit(code)


OUTPUT_SUFFIXES = {"--plot": (".png",), "--report": (".html", ".htm")}
"""The file names ``--plot`` (a PNG image) and ``--report`` (an HTML page) may have."""


def check_suffix(path, option: str) -> None:
    """Exit with a usage error when ``path``, given to ``option`` (``--plot``, ``--report``), has a
    file name the output does not fit (a PNG image written to ``f.txt``)."""
    from pathlib import Path

    allowed = OUTPUT_SUFFIXES[option]
    p = Path(path)
    if p.suffix.lower() not in allowed:
        what = "a PNG image" if option == "--plot" else "an HTML page"
        fail(f"{option} writes {what}, so its file name must end in {' or '.join(allowed)}: "
             f"{terminal_text(str(path))} ends in {terminal_text(p.suffix) or 'no suffix'}", EXIT_USAGE,
             f"e.g. {option} {terminal_text(p.stem or 'out')}{allowed[0]}")


class _Ctx:
    debug = False


def guard(fn):
    """Map errors to messages and exit codes; ``--debug`` shows tracebacks."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..core.errors import ArgumentError, BackendError, GoalProgError, ProblemFileError, ReportError, SolverError

        debug = kwargs.get("debug", False)
        try:
            try:
                return fn(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a closed pipe shows up here, inside the guard
        except ProblemFileError as exc:
            if debug:
                raise
            echo_err(exc.format())
            n = len(exc.issues)
            done = {"validate": "", "export": "; nothing was written", "schema": ""}.get(fn.__name__, "; nothing was solved")
            click.echo(f"goalprog: {n} error{'s' if n != 1 else ''} in the problem{done}", err=True)
            sys.exit(EXIT_BAD_FILE)
        except (ArgumentError, ReportError, BackendError, SolverError, GoalProgError) as exc:
            if debug:
                raise
            code = EXIT_USAGE if isinstance(exc, (ArgumentError, ReportError)) else \
                EXIT_SOLVER if isinstance(exc, (BackendError, SolverError)) else EXIT_BAD_FILE
            echo_err(("goalprog: " if code != EXIT_BAD_FILE else "") + exc.format())
            sys.exit(code)
        except KeyboardInterrupt:
            click.echo("goalprog: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error in itself
            import os

            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            sys.exit(broken_pipe_exit())
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug: say so, without a traceback unless asked
            if debug:
                raise
            echo_err(f"goalprog: internal error: {type(exc).__name__}: {exc}")
            click.echo("  this is a bug in goalprog; run again with --debug and report the traceback", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


DATA_ROOT_HELP = ("Also read data files under DIR. Without it a problem file reads data only from its own folder and "
                  "below (links followed must stay inside); give it only for problems you trust.")
DATA_ROOT = click.option("--data-root", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
                          help=DATA_ROOT_HELP)


def _set_max_nonzeros(ctx, param, value):
    if value is not None:
        from ..core.limits import set_default_max_nonzeros

        set_default_max_nonzeros(value)


MAX_NONZEROS = click.option(
    "--max-nonzeros", type=click.IntRange(min=1), expose_value=False, callback=_set_max_nonzeros, metavar="N",
    help="Refuse models larger than N nonzero coefficients (default 50,000,000); sets, variables and the "
         "bindings of one item may have N/10 members or instances. Raise it for a big model on a big machine.")


def solver_name(value):
    """``--solver`` is a solver's name; a path there is a usage error (exit 2)."""
    if value is not None:
        from ..spec.solvers import is_path_like, short

        if is_path_like(value):
            raise click.BadParameter(f"{short(value)!r} is a path, not a solver name (highs, cbc, glpk, ...); "
                                     "to run an executable as the solver, give --solver-path PATH (and the "
                                     "kind of solver with --solver NAME)", param_hint="--solver")
    return value


def echo_err(text: str) -> None:
    """A line on stderr with control characters made visible (see :func:`~goalprog.core.formatting.terminal_text`)."""
    click.echo(terminal_text(text), err=True)
