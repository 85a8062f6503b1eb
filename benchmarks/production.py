"""Seeded multi-period production-planning goal programs, written as goalprog YAML + CSV.

The instance is the reference GP benchmark of this project (P products x T periods x R
resources; inventory balance and capacity as hard rows; demand, overtime, waste and profit goals
at four priority levels, each goal row divided by its scale).  The numbers follow the shared
generator's recipe (lognormal base demand with seasonality, 1-3 resources per product, capacity
at 85-100 % of the average load with 10 % outages, profit target 5 % above the margin of meeting
demand exactly, waste target 20 % below the scrap of meeting it).

    python benchmarks/production.py --size small --out /tmp/pp        # writes /tmp/pp/production_planning.yaml + data
    python benchmarks/production.py --products 50 --periods 24 --resources 8 --out /tmp/pp50

The YAML model is ``problems/production_planning.yaml`` (copied next to the data); only the CSV
files change with the size.  :func:`generate` returns the instance as numpy arrays, which the
tests and the benchmark runner use to build hand-written models of the same instance.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import shutil
from pathlib import Path

import numpy as np

SIZES = {
    "tiny": (4, 6, 2),
    "small": (20, 10, 5),
    "issue3": (50, 24, 8),
    "medium": (200, 20, 10),
    "large": (1000, 40, 20),
}

MODEL = Path(__file__).resolve().parent.parent / "problems" / "production_planning.yaml"


@dataclasses.dataclass
class Instance:
    P: int
    T: int
    R: int
    seed: int
    D: np.ndarray        # (P,T) demand
    price: np.ndarray    # (P,)
    cost: np.ndarray     # (P,)
    hold: np.ndarray     # (P,)
    sigma: np.ndarray    # (P,) scrap fraction of production
    rho: np.ndarray      # (P,) spoilage fraction of stock per period
    imp: np.ndarray      # (P,) importance weight
    s0: np.ndarray       # (P,) initial stock
    ymax: np.ndarray     # (P,T) sales cap
    A: np.ndarray        # (R,P) hours per unit
    cap: np.ndarray      # (R,T) regular hours
    omax: np.ndarray     # (R,T) overtime cap
    otc: np.ndarray      # (R,) overtime cost
    OTT: np.ndarray      # (R,) overtime budget (hours over the horizon)
    PT: float            # profit target
    WT: float            # waste target

    @property
    def Dbar(self) -> np.ndarray:
        return self.D.mean(axis=1)

    @property
    def ot_weight(self) -> np.ndarray:
        return self.otc / self.otc.mean()


def generate(P: int, T: int, R: int, seed: int = 0) -> Instance:
    """The instance with P products, T periods, R resources (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    base = rng.lognormal(mean=math.log(100.0), sigma=0.8, size=P)
    amp = rng.uniform(0.2, 0.5, size=P)
    phase = rng.uniform(0, 12, size=P)
    t = np.arange(T)
    season = 1.0 + amp[:, None] * np.sin(2 * np.pi * (t[None, :] + phase[:, None]) / 12.0)
    D = np.round(base[:, None] * season * rng.uniform(0.9, 1.1, size=(P, T)), 2)
    price = np.round(rng.uniform(20, 100, size=P), 2)
    cost = np.round(price * rng.uniform(0.4, 0.7, size=P), 2)
    hold = np.round(0.02 * cost, 4)
    sigma = np.round(rng.uniform(0.01, 0.06, size=P), 4)
    rho = np.round(rng.uniform(0.005, 0.02, size=P), 4)
    imp = rng.choice([1.0, 2.0, 3.0], size=P, p=[0.5, 0.3, 0.2])
    s0 = np.round(0.3 * D[:, 0], 2)
    ymax = np.round(1.5 * D, 2)
    A = np.zeros((R, P))
    for p in range(P):
        k = rng.integers(1, min(3, R) + 1)
        rs = rng.choice(R, size=k, replace=False)
        A[rs, p] = np.round(rng.uniform(0.2, 1.5, size=k), 3)
    gross = D / (1.0 - sigma[:, None])
    load = A @ gross
    util = rng.uniform(0.85, 1.0, size=R)
    cap = util[:, None] * load.mean(axis=1, keepdims=True) * np.ones((1, T))
    cap = np.where(rng.random((R, T)) < 0.1, 0.6 * cap, cap)
    cap = np.round(cap, 1)
    omax = np.round(0.2 * cap, 1)
    otc = np.round(rng.uniform(20, 50, size=R), 2)
    OTT = np.round(0.05 * cap.sum(axis=1), 1)
    margin = ((price[:, None] - cost[:, None] / (1 - sigma[:, None])) * D).sum()
    PT = float(round(1.05 * margin, 1))
    WT = float(round(0.8 * (sigma[:, None] * gross).sum(), 1))
    return Instance(P, T, R, seed, D, price, cost, hold, sigma, rho, imp, s0, ymax, A, cap, omax, otc, OTT, PT, WT)


def write(inst: Instance, out: Path, *, copy_model: bool = True) -> Path:
    """Write the CSV files (and the YAML model) under ``out``; returns the YAML path."""
    import pandas as pd

    data = out / "data" / "production_planning"
    data.mkdir(parents=True, exist_ok=True)
    prods = [f"p{i + 1:04d}" for i in range(inst.P)]
    res = [f"r{i + 1:02d}" for i in range(inst.R)]
    periods = list(range(1, inst.T + 1))
    pd.DataFrame({"product": prods, "price": inst.price, "cost": inst.cost, "hold": inst.hold, "scrap": inst.sigma,
                  "spoil": inst.rho, "importance": inst.imp, "stock0": inst.s0,
                  "demand_scale": inst.Dbar}).to_csv(data / "products.csv", index=False, float_format="%.10g")
    pp, tt = np.meshgrid(np.arange(inst.P), np.arange(inst.T), indexing="ij")
    pd.DataFrame({"product": np.array(prods)[pp.ravel()], "period": np.array(periods)[tt.ravel()],
                  "demand": inst.D.ravel(), "sell_max": inst.ymax.ravel()}).to_csv(
        data / "demand.csv", index=False, float_format="%.10g")
    r_idx, p_idx = np.nonzero(inst.A)
    pd.DataFrame({"resource": np.array(res)[r_idx], "product": np.array(prods)[p_idx],
                  "hours": inst.A[r_idx, p_idx]}).to_csv(data / "usage.csv", index=False, float_format="%.10g")
    rr, tt = np.meshgrid(np.arange(inst.R), np.arange(inst.T), indexing="ij")
    pd.DataFrame({"resource": np.array(res)[rr.ravel()], "period": np.array(periods)[tt.ravel()],
                  "capacity": inst.cap.ravel(), "overtime_max": inst.omax.ravel()}).to_csv(
        data / "capacity.csv", index=False, float_format="%.10g")
    pd.DataFrame({"resource": res, "overtime_cost": inst.otc, "overtime_budget": inst.OTT,
                  "overtime_weight": inst.ot_weight}).to_csv(data / "resources.csv", index=False, float_format="%.17g")
    pd.DataFrame({"profit_target": [inst.PT], "waste_target": [inst.WT]}).to_csv(
        data / "targets.csv", index=False, float_format="%.10g")
    target = out / "production_planning.yaml"
    if copy_model:
        shutil.copyfile(MODEL, target)
    return target


def read(folder: Path) -> Instance:
    """Read an instance back from the CSV files that :func:`write` made (what the YAML sees)."""
    import pandas as pd

    data = Path(folder) / "data" / "production_planning"
    prod = pd.read_csv(data / "products.csv")
    dem = pd.read_csv(data / "demand.csv")
    use = pd.read_csv(data / "usage.csv")
    capdf = pd.read_csv(data / "capacity.csv")
    resdf = pd.read_csv(data / "resources.csv")
    tg = pd.read_csv(data / "targets.csv")
    prods = list(prod["product"])
    res = list(resdf["resource"])
    periods = sorted(dem["period"].unique())
    P, T, R = len(prods), len(periods), len(res)
    pi = {p: i for i, p in enumerate(prods)}
    ri = {r: i for i, r in enumerate(res)}
    ti = {t: i for i, t in enumerate(periods)}
    D = np.zeros((P, T))
    ymax = np.zeros((P, T))
    for p, t, d, y in dem[["product", "period", "demand", "sell_max"]].itertuples(index=False):
        D[pi[p], ti[t]] = d
        ymax[pi[p], ti[t]] = y
    A = np.zeros((R, P))
    for r, p, h in use[["resource", "product", "hours"]].itertuples(index=False):
        A[ri[r], pi[p]] = h
    cap = np.zeros((R, T))
    omax = np.zeros((R, T))
    for r, t, c, o in capdf[["resource", "period", "capacity", "overtime_max"]].itertuples(index=False):
        cap[ri[r], ti[t]] = c
        omax[ri[r], ti[t]] = o
    inst = Instance(P, T, R, -1, D, prod["price"].to_numpy(), prod["cost"].to_numpy(), prod["hold"].to_numpy(),
                    prod["scrap"].to_numpy(), prod["spoil"].to_numpy(), prod["importance"].to_numpy(),
                    prod["stock0"].to_numpy(), ymax, A, cap, omax, resdf["overtime_cost"].to_numpy(),
                    resdf["overtime_budget"].to_numpy(), float(tg["profit_target"][0]), float(tg["waste_target"][0]))
    inst.demand_scale = prod["demand_scale"].to_numpy()
    inst.overtime_weight = resdf["overtime_weight"].to_numpy()
    return inst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=list(SIZES), help="named size (P x T x R): " +
                    ", ".join(f"{k} {v[0]}x{v[1]}x{v[2]}" for k, v in SIZES.items()))
    ap.add_argument("--products", type=int)
    ap.add_argument("--periods", type=int)
    ap.add_argument("--resources", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="folder to write production_planning.yaml and data/ into")
    a = ap.parse_args()
    if a.size:
        P, T, R = SIZES[a.size]
    else:
        if not (a.products and a.periods and a.resources):
            ap.error("give --size or all of --products, --periods, --resources")
        P, T, R = a.products, a.periods, a.resources
    path = write(generate(P, T, R, a.seed), a.out)
    print(f"wrote {path} ({P} products x {T} periods x {R} resources)")


if __name__ == "__main__":
    main()
