"""Exact rational lexicographic level values of a preemptive goal program (issue 13).

    python benchmarks/exact_rational.py FILE.yaml [--chain] [--keep DIR] [--algorithm 1|2|3]

goalprog only compiles the file (the model's arrays and each level's achievement function); the
levels are then solved by an **exact rational LP solver**, QSopt_ex (Applegate, Cook, Dash &
Espinoza, "Exact solutions to linear programming problems", Oper. Res. Lett. 35, 2007; the
library of Debian's ``libqsopt-ex2`` package, called through ctypes: ``apt-get install libqsopt-ex2``):

1. level 1 is minimised exactly: its value ``v1`` is a rational number (no rounding at all);
2. level 2 is minimised with level 1 held by the row ``h1 <= v1`` written as the exact fraction
   ``v1 = p/q`` (every coefficient of the model is a float, that is a dyadic rational, and is
   written as its exact fraction too, so the LP solved is exactly the model goalprog compiled);
3. and so on, every earlier level held at its exact value.

Every level's answer is then **verified here, independently of the solver**, in Python's
``fractions.Fraction``: the solver's rational plan ``x`` must satisfy every row, bound and lock
exactly, and its rational row duals ``y`` must give a Lagrangian bound
``sum_i y_i side_i + sum_j min(d_j l_j, d_j u_j)`` (``d = c - A^T y``; Neumaier & Shcherbina,
Math. Program. 99, 2004) equal to ``c x``: a primal-dual certificate of optimality in exact
arithmetic.  A level that passes is printed with ``certified``.

SCIP's exact mode (SCIP 10, ``Model.enableExactSolving``) would do the same, but the PyPI wheels
of pyscipopt 6.3 are built without it ("SCIP was compiled without exact solve support"), so this
script uses QSopt_ex.  Maximised levels (plain objectives) are solved as minimisations of the
negated function.  LPs only: a model with integer columns is refused.

``--chain`` also solves the file with goalprog's default chain (``highs`` backend) and prints each
level's relative difference from the exact value.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

def available() -> bool:
    """True when QSopt_ex's library (``libqsopt_ex``, Debian's ``libqsopt-ex2``) and GMP load."""
    try:
        _solver()
    except (OSError, AttributeError):
        return False
    return True


@dataclass
class Level:
    """One exact level: ``value`` (a Fraction, in the level's own sense: the maximised objective for
    a level of maximised objectives), solver status, seconds, whether the certificate held, and the
    exact plan (Fractions, length n)."""

    value: F | None
    status: str
    seconds: float
    certified: bool
    x: list | None


def _q(v) -> str:
    """The exact fraction of a float (or Fraction) as text the LP reader takes ("p/q" or "p")."""
    f = F(v)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _terms(cols, coefs) -> str:
    out = []
    for j, a in zip(cols, coefs):
        a = F(a)
        if a == 0:
            continue
        out.append(f" {'-' if a < 0 else '+'} {_q(abs(a))} x{j}\n")
    return "".join(out) or " 0 x0\n"


def write_lp(path: Path, model, cost: dict, locks: list) -> None:
    """The LP ``min sum cost[j] x_j`` over the model's rows and bounds plus ``locks`` (a list of
    ``(cols, coefs, rhs)``: ``sum coefs x <= rhs``, all exact), in QSopt_ex's LP format with every
    number an exact fraction."""
    n, m = model.n_cols, model.n_rows
    with open(path, "w") as fh:
        fh.write("Problem\n exact\nMinimize\n obj:\n")
        fh.write(_terms(list(cost), list(cost.values())) if cost else " 0 x0\n")
        fh.write("Subject To\n")
        ip, ix, dv = model.indptr, model.indices, model.data
        for i in range(m):
            lo, hi = model.row_lower[i], model.row_upper[i]
            body = _terms(ix[ip[i]:ip[i + 1]], dv[ip[i]:ip[i + 1]])
            if lo == hi:
                fh.write(f" r{i}:\n{body} = {_q(lo)}\n")
                continue
            if np.isfinite(lo):
                fh.write(f" r{i}l:\n{body} >= {_q(lo)}\n")
            if np.isfinite(hi):
                fh.write(f" r{i}u:\n{body} <= {_q(hi)}\n")
        for k, (cols, coefs, rhs) in enumerate(locks):
            fh.write(f" lock{k}:\n{_terms(cols, coefs)} <= {_q(rhs)}\n")
        fh.write("Bounds\n")
        for j in range(n):
            lo, hi = model.col_lower[j], model.col_upper[j]
            if lo == 0 and np.isinf(hi):
                continue  # the default
            a = _q(lo) if np.isfinite(lo) else "-inf"
            b = _q(hi) if np.isfinite(hi) else "inf"
            fh.write(f" x{j} free\n" if a == "-inf" and b == "inf" else f" {a} <= x{j} <= {b}\n")
        fh.write("End\n")


class QSoptEx:
    """A minimal ctypes binding of QSopt_ex's exact solver (``libqsopt_ex.so.2``, GMP rationals).

    :meth:`solve` reads an LP file, runs ``QSexact_solver`` and returns (status, objective, {column
    name: value}, {row name: dual}) with every number a ``Fraction`` read from GMP's exact
    text (``esolver -O`` cuts long rationals, so its solution file is not used)."""

    MPQ = 32  # sizeof(mpq_t): two mpz_t of {int alloc, int size, limb pointer}
    STATUS = {1: "OPTIMAL", 2: "INFEASIBLE", 3: "UNBOUNDED", 4: "ITER_LIMIT", 5: "TIME_LIMIT", 6: "UNSOLVED",
              7: "ABORTED", 8: "NUMERR", 9: "MODIFIED"}

    def __init__(self):
        import ctypes
        import ctypes.util

        self.c = ctypes
        self.lib = ctypes.CDLL(ctypes.util.find_library("qsopt_ex") or "libqsopt_ex.so.2")
        vp, ip = ctypes.c_void_p, ctypes.c_int
        self.lib.mpq_QSread_prob.restype = vp
        self.lib.mpq_QSread_prob.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        for f in ("mpq_QSget_colcount", "mpq_QSget_rowcount"):
            getattr(self.lib, f).argtypes = [vp]
        self.lib.QSexact_solver.argtypes = [vp, vp, vp, vp, ip, ctypes.POINTER(ip)]
        for f in ("mpq_QSget_objval", "mpq_QSget_x_array", "mpq_QSget_pi_array"):
            getattr(self.lib, f).argtypes = [vp, vp]
        self.lib.mpq_QSget_colnames.argtypes = [vp, vp]
        self.lib.mpq_QSget_rownames.argtypes = [vp, vp]
        self.lib.mpq_QSfree_prob.argtypes = [vp]
        self.lib.mpq_QSadd_row.argtypes = [vp, ip, vp, vp, vp, ip, ctypes.c_char_p]
        gmp = ctypes.CDLL(ctypes.util.find_library("gmp") or "libgmp.so.10")
        # GMP's exported names (mpq_init etc. are macros for them); getattr: no class-private mangling
        self.q_init, self.q_clear = getattr(gmp, "__gmpq_init"), getattr(gmp, "__gmpq_clear")
        self.z_size, self.q_str = getattr(gmp, "__gmpz_sizeinbase"), getattr(gmp, "__gmpq_get_str")
        self.q_set_str, self.q_canon = getattr(gmp, "__gmpq_set_str"), getattr(gmp, "__gmpq_canonicalize")
        self.q_init.argtypes = self.q_clear.argtypes = self.q_canon.argtypes = [vp]
        self.q_set_str.argtypes, self.q_set_str.restype = [vp, ctypes.c_char_p, ip], ip
        self.z_size.argtypes, self.z_size.restype = [vp, ip], ctypes.c_size_t
        self.q_str.argtypes, self.q_str.restype = [vp, ip, vp], vp
        self.lib.QSexactStart()

    def _array(self, k):
        buf = (self.c.c_byte * (self.MPQ * max(k, 1)))()
        base = self.c.addressof(buf)
        for i in range(k):
            self.q_init(base + i * self.MPQ)
        return buf, base

    def _clear(self, base, k):
        for i in range(k):
            self.q_clear(base + i * self.MPQ)

    def _frac(self, addr) -> F:
        # base 16: linear-time parsing, no limit on the digits of int()
        size = self.z_size(addr, 16) + self.z_size(addr + self.MPQ // 2, 16) + 3
        out = self.c.create_string_buffer(size)
        self.q_str(self.c.addressof(out), 16, addr)
        num, _, den = out.value.decode().partition("/")
        return F(int(num, 16), int(den, 16) if den else 1)

    def _set(self, addr, v) -> None:
        v = F(v)
        if self.q_set_str(addr, f"{v.numerator:x}/{v.denominator:x}".encode(), 16):
            raise RuntimeError("GMP refused a rational")
        self.q_canon(addr)

    def _add_lock(self, p, name, index, cols, coefs, rhs) -> None:
        """Add ``sum coefs x <= rhs`` (exact) to the problem, with its columns by LP-file name."""
        k = len(cols)
        ind = (self.c.c_int * max(k, 1))(*[index[f"x{j}"] for j in cols])
        vb, va = self._array(k)
        rb, ra = self._array(1)
        for i, a in enumerate(coefs):
            self._set(va + i * self.MPQ, a)
        self._set(ra, rhs)
        rc = self.lib.mpq_QSadd_row(p, k, self.c.addressof(ind), va, ra, ord("L"), name.encode())
        self._clear(va, k)
        self._clear(ra, 1)
        if rc:
            raise RuntimeError(f"QSopt_ex could not add the lock row {name}")

    def _names(self, p, k, which):
        arr = (self.c.c_char_p * max(k, 1))()
        getattr(self.lib, which)(p, self.c.addressof(arr))
        return [arr[i].decode() for i in range(k)]

    def solve(self, lp: Path, locks=(), algorithm: int = 1) -> tuple[str, F | None, dict, dict]:
        """Solve the LP file ``lp`` with the rows ``locks`` (``(cols, coefs, rhs)``: ``sum coefs
        x_cols <= rhs``, exact rationals, passed to the solver as GMP rationals, not as text) added."""
        p = self.lib.mpq_QSread_prob(str(lp).encode(), b"LP")
        if not p:
            raise RuntimeError(f"QSopt_ex could not read {lp}")
        try:
            if locks:
                n = self.lib.mpq_QSget_colcount(p)
                index = {nm: i for i, nm in enumerate(self._names(p, n, "mpq_QSget_colnames"))}
                for k, (cols, coefs, rhs) in enumerate(locks):
                    self._add_lock(p, f"lock{k}", index, cols, coefs, rhs)
            n, m = self.lib.mpq_QSget_colcount(p), self.lib.mpq_QSget_rowcount(p)
            st = self.c.c_int(0)
            # x and y left NULL: the solver would reallocate arrays it did not allocate (their size sits in
            # a header of QSopt_ex's own allocator); the final exact solution stays in the problem object
            rc = self.lib.QSexact_solver(p, None, None, None, algorithm, self.c.byref(st))
            status = self.STATUS.get(st.value, str(st.value)) if rc == 0 else f"error {rc}"
            value, xs, ys = None, {}, {}
            xb, xa = self._array(n)
            yb, ya = self._array(m)
            vb, va = self._array(1)
            if status == "OPTIMAL":
                if self.lib.mpq_QSget_objval(p, va) or self.lib.mpq_QSget_x_array(p, xa) \
                        or self.lib.mpq_QSget_pi_array(p, ya):
                    raise RuntimeError("QSopt_ex returned no solution")
                value = self._frac(va)
                xs = dict(zip(self._names(p, n, "mpq_QSget_colnames"), (self._frac(xa + i * self.MPQ) for i in range(n))))
                ys = dict(zip(self._names(p, m, "mpq_QSget_rownames"), (self._frac(ya + i * self.MPQ) for i in range(m))))
            self._clear(xa, n)
            self._clear(ya, m)
            self._clear(va, 1)
            return status, value, xs, ys
        finally:
            self.lib.mpq_QSfree_prob(p)


_SOLVER: QSoptEx | None = None


def _solver() -> QSoptEx:
    global _SOLVER
    if _SOLVER is None:
        _SOLVER = QSoptEx()
    return _SOLVER


def _fin(v) -> bool:
    return isinstance(v, F) or bool(np.isfinite(v))


def certify(model, cost: dict, locks: list, x: list, duals: dict, value: F) -> tuple[bool, str]:
    """Exact check (Fractions) of plan ``x`` and duals against the LP :func:`write_lp` wrote.

    True when ``x`` satisfies every row, lock and bound exactly, its objective equals ``value``, and
    the duals give a Lagrangian lower bound equal to ``value`` (so ``value`` is the exact optimum).
    The second item says what failed."""
    n, m = model.n_cols, model.n_rows
    ip, ix, dv = model.indptr, model.indices, model.data
    c = [F(0)] * n
    for j, a in cost.items():
        c[j] += F(a)
    if sum((c[j] * x[j] for j in cost), F(0)) != value:
        return False, "objective of the plan differs from the solver's value"
    for j in range(n):
        lo, hi = model.col_lower[j], model.col_upper[j]
        if (_fin(lo) and x[j] < F(lo)) or (_fin(hi) and x[j] > F(hi)):
            return False, f"column {j} outside its bounds"
    d = list(c)  # reduced costs c - A^T y
    bound = F(0)
    rows = [(ix[ip[i]:ip[i + 1]], dv[ip[i]:ip[i + 1]], model.row_lower[i], model.row_upper[i],
             (f"r{i}", f"r{i}l", f"r{i}u")) for i in range(m)]
    rows += [(cols, coefs, -np.inf, rhs, (f"lock{k}",)) for k, (cols, coefs, rhs) in enumerate(locks)]
    for cols, coefs, lo, hi, names in rows:
        act = sum((F(a) * x[j] for j, a in zip(cols, coefs)), F(0))
        if (_fin(lo) and act < F(lo)) or (_fin(hi) and act > F(hi)):
            return False, f"row {names[0]} violated"
        y = sum((duals.get(nm, F(0)) for nm in names), F(0))
        if y == 0:
            continue
        side = lo if y > 0 else hi
        if not _fin(side):
            return False, f"row {names[0]}: dual of the wrong sign"
        bound += y * F(side)
        for j, a in zip(cols, coefs):
            d[j] -= y * F(a)
    for j in range(n):
        if d[j] == 0:
            continue
        side = model.col_lower[j] if d[j] > 0 else model.col_upper[j]
        if not _fin(side):
            return False, f"column {j}: reduced cost of the wrong sign"
        bound += d[j] * F(side)
    if bound != value:
        return False, f"dual bound {float(bound)!r} differs from the value"
    return True, ""


def exact_chain(model, objectives, *, workdir: Path | None = None, algorithm: int = 1,
                verify: bool = True, log=None) -> list[Level]:
    """The exact lexicographic chain of ``objectives`` (goalprog ``Objective``s) over ``model``.

    Returns one :class:`Level` per level solved; the chain stops at a level that is not solved to
    optimality (its status says why).  ``algorithm``: 1 primal simplex, 2 dual, 3 either (QSopt_ex's
    codes).  Raises RuntimeError when QSopt_ex is missing or the model has integer columns."""
    if not available():
        raise RuntimeError("QSopt_ex's library is not installed (apt-get install libqsopt-ex2)")
    if np.any(model.col_integer):
        raise RuntimeError("exact reference for LPs only: the model has integer columns")
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="exact_lex_")) if own else Path(workdir)
    out: list[Level] = []
    locks: list = []
    try:
        for k, obj in enumerate(objectives):
            vec = obj.vector
            sign = -1 if obj.sense == "max" else 1
            cost: dict = {}
            for j, a in zip(vec.indices, vec.coefs):
                cost[int(j)] = cost.get(int(j), F(0)) + sign * F(a)
            lp = workdir / f"level{k + 1}.lp"
            write_lp(lp, model, cost, [])
            t = time.perf_counter()
            status, value, xs, pi = _solver().solve(lp, locks, algorithm)
            seconds = time.perf_counter() - t
            if status != "OPTIMAL" or value is None:
                out.append(Level(None, status, seconds, False, None))
                break
            x = [xs.get(f"x{j}", F(0)) for j in range(model.n_cols)]
            ok = False
            if verify:
                ok, why = certify(model, cost, locks, x, pi, value)
                if not ok:
                    status += f" (certificate failed: {why})"
            level_value = sign * value + F(vec.constant)
            out.append(Level(level_value, status, seconds, ok, x))
            if log:
                log(k, out[-1])
            # hold the level at its exact value: sign * c x <= value
            locks.append(([int(j) for j in cost], [cost[j] for j in cost], value))
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return out


def objectives_of(model):
    """Each priority level's achievement function, as goalprog's chain optimises it."""
    from goalprog.solve.achievement import achievement

    return [achievement(model, level) for level in model.priorities()]


def rel_diff(a: float, exact: F) -> float:
    """``|a - exact| / max(1, |exact|)``, computed exactly then rounded."""
    return float(abs(F(a) - exact) / max(F(1), abs(exact)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--chain", action="store_true", help="also run goalprog's default chain and compare")
    ap.add_argument("--keep", help="write the LP and solution files to this folder")
    ap.add_argument("--algorithm", type=int, default=1, help="1 primal simplex (default), 2 dual, 3 either")
    ap.add_argument("--no-verify", action="store_true", help="skip the exact primal-dual certificate")
    args = ap.parse_args(argv)
    import goalprog

    t = time.perf_counter()
    problem = goalprog.load(args.file)
    model = problem.model
    print(f"{args.file}: {model.n_cols} columns, {model.n_rows} rows (compiled in {time.perf_counter() - t:.1f} s)")
    chain = None
    if args.chain:
        t = time.perf_counter()
        r = problem.solve(backend="highs")
        chain = [s.objective for s in r.stages]
        print(f"goalprog default chain ({time.perf_counter() - t:.1f} s, {r.status.value}): {chain}")

    def log(k, lv):
        digits = int(lv.value.denominator.bit_length() * 0.30103) + 1  # about; str() of a huge int is refused
        frac = (f"{lv.value.numerator}/{lv.value.denominator}" if digits < 60
                else f"(a fraction with a denominator of about {digits} digits)")
        line = (f"level {k + 1}: exact {float(lv.value)!r} = {frac}  [{lv.status}"
                f"{', certified' if lv.certified else ''}, {lv.seconds:.1f} s]")
        if chain is not None and k < len(chain) and chain[k] is not None:
            line += f"  chain {chain[k]!r}  rel. diff {rel_diff(chain[k], lv.value):.2e}"
        print(line, flush=True)

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    try:
        levels = exact_chain(model, objectives_of(model), workdir=Path(args.keep) if args.keep else None,
                             algorithm=args.algorithm, verify=not args.no_verify, log=log)
    except RuntimeError as exc:
        sys.exit(f"exact_rational: {exc}")
    if levels and levels[-1].value is None:
        print(f"level {len(levels)}: {levels[-1].status} [{levels[-1].seconds:.1f} s]")


if __name__ == "__main__":
    main()
