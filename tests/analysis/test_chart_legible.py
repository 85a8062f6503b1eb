"""The sweep chart is legible (issue 14): x tick labels slanted and few, point labels never over
one another nor over a point, a second varied key shown by marker with a legend."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

pytest.importorskip("matplotlib")
from matplotlib.figure import Figure  # noqa: E402

from goalprog.analysis.chart import tradeoff_chart  # noqa: E402


@pytest.fixture
def drawn(monkeypatch):
    figs = []
    real = Figure.savefig

    def keep(self, *a, **k):
        figs.append(self)
        return real(self, *a, **k)

    monkeypatch.setattr(Figure, "savefig", keep)
    return figs


def _one_key(n):
    return pd.DataFrame([{"run": i, "vary:weight": 0.5 + 0.25 * i, "status": "optimal",
                          "goal:profit.value": 1_500_000 + 12_345.6 * i, "goal:waste.value": 2_000_000 - 1000 * i * i}
                         for i in range(n)])


def test_ticks_slanted_and_few_labels_apart(tmp_path, drawn):
    out = tradeoff_chart(_one_key(10), "profit", "waste", tmp_path / "c.png")
    assert out.stat().st_size > 0
    fig = drawn[0]
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    assert 0 < len(ticks) <= 7
    assert all(t.get_rotation() == 30 for t in ticks)
    boxes = [t.get_window_extent(renderer) for t in ticks]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert all("e+" not in t.get_text() for t in ticks)          # 1,500,000, not 1.5e+06
    notes = [c for c in ax.texts]
    # 10 plans: only the two ends of the sweep are labelled
    assert sorted(n.get_text().split("\n")[0] for n in notes) == ["weight = 0.5", "weight = 2.75"]


def test_point_labels_never_overlap(tmp_path, drawn):
    # 6 plans bunched together: every label placed keeps clear of the others and of the points
    frame = pd.DataFrame([{"run": i, "vary:w": i, "status": "optimal",
                           "goal:a.value": 100 + i, "goal:b.value": 100 + (i % 2)} for i in range(6)])
    tradeoff_chart(frame, "a", "b", tmp_path / "c.png")
    ax = drawn[0].axes[0]
    renderer = drawn[0].canvas.get_renderer()
    points = ax.transData.transform(list(zip(frame["goal:a.value"], frame["goal:b.value"])))
    boxes = []
    for n in ax.texts:                            # the box of the text as drawn, without its leader line
        boxes.append(n.get_bbox_patch().get_window_extent(renderer))
    assert len(boxes) >= 2 and all(b.width > 20 and b.x0 > 0 for b in boxes), boxes
    assert not any(b.contains(x, y) for b in boxes for x, y in points)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_second_varied_key_gets_markers_and_a_legend(tmp_path, drawn):
    rows = [{"run": len(m) * 10 + i, "vary:w": w, "vary:solve.method": m, "status": "optimal",
             "goal:profit.value": 150000 - 10000 * i, "goal:waste.value": 20000 + 5000 * i}
            for m in ("weighted", "preemptive") for i, w in enumerate([0.5, 1, 2])]
    tradeoff_chart(pd.DataFrame(rows), "profit", "waste", tmp_path / "c.png")
    ax = drawn[0].axes[0]
    legend = ax.get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["solve.method = weighted", "solve.method = preemptive"]
    markers = {h.get_marker() for h in legend.legend_handles}
    assert len(markers) == 2
