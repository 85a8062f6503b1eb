"""``goalprog export``: write the compiled model of a solve as an LP or MPS file (see :mod:`goalprog.output.export`)."""

from __future__ import annotations

_HELP = """Write the model goalprog solves for FILE as an LP or MPS file, or the whole
preemptive goal program as a multi-objective LP file (--format mo-lp).

\b
The file is what HiGHS, CBC and other LP/MIP solvers read, for checking a model
by hand or solving it elsewhere:
  weighted (also chebyshev, extended): the one achievement function over all
      goals;
  preemptive --level N: stage N, i.e. priority level N's achievement function
      with what holds the levels before it. Those levels are solved first with
      HiGHS, by the chain `goalprog solve` runs, and held as it holds them:
      exact by default (each level's optimal face, i.e. fixed columns and tight
      rows, written as bounds, plus a guard lock row), or with the slack option
      (the file's, or --lock-abs-tol / --lock-rel-tol) by lock rows and the
      bounds of the file's lock style.

\b
--format mo-lp writes every priority level at once, for Gurobi and CPLEX
(which read the same multi-objective LP syntax): one objective per level
(its weighted unwanted deviations; a level of maximize: objectives written
negated, so every objective is minimised), Priority = number of levels for
priority 1 down to 1 for the last (larger first), Weight=1, AbsTol=0
RelTol=0 (goalprog's exact default), and the goal rows, hard constraints,
bounds and integer columns. No level is solved (only a zero-one
normalisation's payoff table, with HiGHS) and no lock row is written;
--level, --lambda and --lock-* do not apply. See export.md (goalprog --help
says where the docs are).

\b
Names come from the file: variables as written (make[pants,3] is written
make(pants,3)), goal deviations as profit.under / profit.over, goal rows by the
goal's name, lock rows as lock_level_1. Characters LP readers reject become _,
and names that would then clash get _2, _3, ... suffixes.

\b
Examples:
  goalprog export problems/clothing_factory_weighted.yaml -o factory.lp
  goalprog export problems/clothing_factory_preemptive.yaml --level 2 -o stage2.mps
  highs stage2.mps        # or: cbc stage2.mps solve
  goalprog export problems/clothing_factory_preemptive.yaml -f mo-lp -o factory.lp
  gurobi_cl factory.lp    # or: cplex -c "read factory.lp" "optimize"

\b
In MPS a stage that maximises (a level of maximize: objectives only) is written
as the minimisation of its negative, since MPS readers disagree on OBJSENSE.
"""

_EXIT_HELP = """\b
Exit codes:
  0  the model was written           4  a level before --level is infeasible
  1  internal error (a bug)          5  ... is unbounded
  2  usage error (bad --level, ...)  6  ... stopped at a limit
  3  the problem file has errors     7  solver error, or the file cannot be written
"""


def register(main) -> None:
    from pathlib import Path

    import click

    from goalprog.cli import DATA_ROOT, EXIT_USAGE, MAX_NONZEROS, echo_err, fail, guard, status_exit

    @main.command("export", help=_HELP, epilog=_EXIT_HELP, short_help="Write the model as an LP or MPS file.")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="The file to write (*.lp or *.mps, or give --format).")
    @click.option("--format", "-f", "fmt_", type=click.Choice(["lp", "mps", "mo-lp"]),
                  help="File format. Default: from the --output file name. mo-lp: every priority level as one "
                       "objective of a multi-objective LP file (Gurobi, CPLEX).")
    @click.option("--method", "-m", type=click.Choice(["weighted", "preemptive", "lexicographic", "chebyshev",
                                                       "extended"]),
                  help="Goal-programming method. Default: preemptive with --level, else the method "
                       "`goalprog solve` would use.")
    @click.option("--level", "-l", type=click.IntRange(min=1),
                  help="Preemptive: the priority level whose stage is written (may be left out when there is "
                       "one level).")
    @click.option("--lambda", "lam", type=click.FloatRange(0, 1),
                  help="Extended GP: weight of the weighted sum against the min-max part (default: the file's).")
    @click.option("--lock-abs-tol", type=click.FloatRange(min=0),
                  help="Slack option of the earlier levels' locks, absolute (default: the file's, else exact locks).")
    @click.option("--lock-rel-tol", type=click.FloatRange(min=0),
                  help="Slack option of the earlier levels' locks, relative (default: the file's, else exact locks).")
    @click.option("--force", is_flag=True, help="Allow --output to replace an existing file (never the problem file "
                                                "or a data file it reads).")
    @click.option("--verbose", "-v", is_flag=True, help="Show the HiGHS log of the earlier levels' solves.")
    @DATA_ROOT
    @MAX_NONZEROS
    @click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
    @guard
    def export(file, output, fmt_, method, level, lam, lock_abs_tol, lock_rel_tol, force, verbose, data_root, debug):
        import goalprog
        from goalprog.core.errors import ArgumentError
        from goalprog.output.export import ExportStageError, export_model

        if fmt_ is None and output.suffix.lower() not in (".lp", ".mps"):
            raise click.BadParameter(f"cannot tell the format from {str(output)!r}: name the file *.lp or *.mps, "
                                     "or give --format lp|mps", param_hint="--output")
        from goalprog.core.outfiles import Outputs, commit, temp_beside

        outputs = Outputs(force, [file])
        target = outputs.file(output)
        problem = goalprog.load(file, data_root=data_root)
        outputs.add_problem(problem, file)
        outputs.ready()
        lock = None
        if fmt_ == "mo-lp" and (lock_abs_tol is not None or lock_rel_tol is not None):
            fail("--lock-abs-tol and --lock-rel-tol do not apply to --format mo-lp: the file holds no lock rows and "
                 "sets AbsTol=0 RelTol=0 on every level", EXIT_USAGE,
                 "leave them out (see export.md in the docs: goalprog --help says where)")
        if lock_abs_tol is not None or lock_rel_tol is not None:
            from goalprog.solve.config import resolve_lock

            lock = resolve_lock(problem.spec.solve.lock, lock_abs_tol=lock_abs_tol, lock_rel_tol=lock_rel_tol)
        from goalprog.solve.backends.base import stdout_to_stderr

        import dataclasses

        from goalprog.output.export import infer_format

        fmt_ = infer_format(output, fmt_)
        # written beside the target and moved into place at the end (exclusively without --force)
        tmp = temp_beside(target, suffix=f".{fmt_}")
        written = False
        try:
            with stdout_to_stderr(bool(verbose)):
                info = export_model(problem, tmp, fmt_, level=level, method=method, lam=lam, lock=lock,
                                    verbose=verbose)
            written = True
        except ArgumentError as exc:
            issue = exc.issues[0]
            fail(issue.message, EXIT_USAGE, issue.hint)
        except ExportStageError as exc:
            echo_err("goalprog: " + exc.format())
            sys_exit = status_exit(exc.status)
            raise SystemExit(sys_exit)
        finally:
            if not written:
                tmp.unlink(missing_ok=True)
        commit(tmp, target)
        echo_err(dataclasses.replace(info, path=output).describe())
