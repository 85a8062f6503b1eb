"""The HTML report, the notebook fragment and the goal-attainment chart (goalprog.output.report).

Expected numbers are worked out by hand (see README.md and docs/methods.md):

* weighted (1, 1): 50,000 shirts; profit 150,000 (met), waste 50,000 (30,000 over), achievement 30,000;
* weighted (1, 1.5): pants 60,000/7 = 8,571.429, shirts 50,000/7 = 7,142.857, profit 750,000/7 =
  107,142.9 (300,000/7 = 42,857.14 under), waste exactly 20,000;
* preemptive: level 1 achievement 0, locked at <= 0; level 2 waste over 30,000.  The lock's trade-off
  rate is 0.7: giving up d dollars of profit lets d/5 pants replace d shirts within the budget
  (5p + s = 50,000, 10p + 3s = 150,000 - d), so waste = 1.5 d/5 + 50,000 - d = 50,000 - 0.7 d.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.output import report
from goalprog.cli import main
from goalprog.core.errors import GoalProgError
from tests.helpers import ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# -- helpers -------------------------------------------------------------------------------------

class _Tables(HTMLParser):
    """Collects every table of a page: ``{class: [[cell text, ...], ...]}`` (body rows only), plus
    the ids of the elements seen and the text outside tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: dict[str, str] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._in_body = False
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = tag
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "table":
            self._table = self.tables.setdefault(a.get("class", ""), [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    p.close()
    return p


def table(page: _Tables, kind: str) -> list[list[str]]:
    matches = [rows for cls, rows in page.tables.items() if kind in cls.split()]
    assert len(matches) == 1, f"{kind}: {list(page.tables)}"
    return matches[0]


def solve(problems_dir, name, **kw):
    return goalprog.load(problems_dir / name).solve(**kw)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


PROBLEMS = ROOT / "problems"


@pytest.fixture(scope="module")
def weighted():
    return goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve()


NASTY = {
    "name": "Tom & Jerry's <b>plan</b> $x$ \"q\"",
    "description": "first <script>alert('d')</script> & second\nline two -->",
    "sets": {"items": ["<script>alert(1)</script>", "a&b", "\"quoted\" 'single'", "$\\alpha$_x^2", "--> end"]},
    "variables": {"make": {"index": "items", "upper": 10}},
    "goals": {
        "want": {"for": "i in items", "expr": "make[i]", "at_least": 12},
        "band": {"expr": "sum(make[i] for i in items)", "between": [20, 30], "weight": 2},
    },
}
NASTY_LABELS = [f"want[{m}]" for m in NASTY["sets"]["items"]] + ["band"]


def infeasible():
    return goalprog.from_dict({
        "name": "no <way>", "variables": {"x": {"upper": 10}}, "constraints": {"c": "x >= 12"},
        "goals": {"g": {"expr": "x", "at_least": 12, "priority": 1}, "h": {"expr": "x", "at_most": 3, "priority": 2}},
    }).solve()


# -- the numbers ---------------------------------------------------------------------------------

def test_page_has_the_hand_worked_numbers_weighted_1_1(weighted):
    page = parse(report.page_html(weighted, source="problems/clothing_factory_weighted.yaml"))
    assert table(page, "gp-goals") == [
        ["profit", "\u2265 150,000", "150,000", "0", "0", "\u2713 yes", "under w1", "0"],
        ["waste", "\u2264 20,000", "50,000", "0", "30,000", "\u2717 no", "over w1", "30,000"],
    ]
    assert table(page, "gp-variables") == [
        ["pants", "0", "\u2265 0", "continuous"],
        ["shirts", "50,000", "\u2265 0", "continuous"],
        ["dresses", "0", "\u2265 0", "continuous"],
    ]
    assert table(page, "gp-expressions") == [["profit", "150,000"], ["cost", "50,000"], ["waste", "50,000"]]
    text = " ".join(" ".join(page.text).split())
    assert "clothing_factory_weighted" in text
    assert "Monthly plan: at least $150,000 profit" in text            # the description
    assert "problems/clothing_factory_weighted.yaml" in text           # the source file
    assert "achievement 30,000 (weighted sum of unwanted deviations)" in text
    assert "method weighted" in text and f"backend {weighted.backend}" in text and "status optimal" in text
    assert "binding hard constraints budget" in text
    assert page.ids.get("goal-chart") == "figure"


def test_page_weighted_1_1_5(problems_dir):
    r = solve(problems_dir, "clothing_factory_weighted_1_1.5.yaml")
    page = parse(report.page_html(r))
    assert table(page, "gp-goals") == [
        ["profit", "\u2265 150,000", "107,142.9", "42,857.14", "0", "\u2717 no", "under w1", "42,857.14"],
        ["waste", "\u2264 20,000", "20,000", "0", "0", "\u2713 yes", "over w1.5", "0"],
    ]
    assert [row[:2] for row in table(page, "gp-variables")] == [["pants", "8,571.429"], ["shirts", "7,142.857"],
                                                                ["dresses", "0"]]


def test_page_preemptive_levels_locks_and_trade_off(problems_dir):
    r = solve(problems_dir, "clothing_factory_preemptive.yaml")
    page = parse(report.page_html(r))
    levels = table(page, "gp-levels")
    # level, goals, sense, achievement, status, lock, trade-off, note
    assert levels[0][:6] == ["1", "profit", "min", "0", "optimal", "<= 0 (binding)"]
    assert levels[0][6] == "0.7"
    assert levels[1][:5] == ["2", "waste", "min", "30,000", "optimal"]
    assert levels[1][5] == ""                                          # the last level has no lock
    assert levels[1][7] == "the earlier levels' plan already reached this level's optimum"
    assert table(page, "gp-goals")[1][:6] == ["waste", "\u2264 20,000", "50,000", "0", "30,000", "\u2717 no"]
    assert "locks exact (each level over the earlier levels' optimal set:" in " ".join(" ".join(page.text).split())
    page = parse(report.page_html(goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").solve(
        backend="highs", lock_abs_tol=1e-5)))
    assert "lock slack abs 1e-05, rel" in " ".join(" ".join(page.text).split())


def test_objectives_table(problems_dir):
    r = solve(problems_dir, "clothing_factory_objectives.yaml")
    page = parse(report.page_html(r))
    rows = table(page, "gp-objectives")
    assert [row[:4] for row in rows] == [["best_profit", "max", "1", "1"], ["least_waste", "min", "2", "1"]]
    assert rows[0][4] == "150,000" and rows[1][4] == "50,000"
    assert "The problem has no goals" in " ".join(page.text)
    assert "goal-chart" not in page.ids


def test_notebook_fragment(weighted, problems_dir):
    frag = weighted._repr_html_()
    assert frag == report.result_html(weighted)
    assert frag.startswith('<div class="goalprog-result">') and frag.endswith("</div>")
    page = parse(frag)
    assert table(page, "gp-goals")[1] == ["waste", "\u2264 20,000", "50,000", "0", "30,000", "\u2717 no", "over w1",
                                         "30,000"]
    assert "achievement (weighted sum of unwanted deviations): 30,000" in "".join(page.text)
    pre = parse(solve(problems_dir, "clothing_factory_preemptive.yaml")._repr_html_())
    assert [row[:4] for row in table(pre, "gp-levels")] == [["1", "profit", "min", "0"], ["2", "waste", "min", "30,000"]]


# -- escaping ------------------------------------------------------------------------------------

def test_user_names_are_escaped():
    r = goalprog.from_dict(NASTY).solve()
    for html in (report.page_html(r, source="dir/<evil> & \"file\".yaml"), report.result_html(r)):
        assert "<script" not in html and "<b>plan" not in html
        page = parse(html)
        # the text read back by an HTML parser is exactly what the user wrote
        assert [row[0] for row in table(page, "gp-goals")] == NASTY_LABELS
        text = "".join(page.text)
        assert NASTY["name"] in text
    page_src = report.page_html(r, source="dir/<evil> & \"file\".yaml")
    page = parse(page_src)
    assert [row[0] for row in table(page, "gp-variables")] == [f"make[{m}]" for m in NASTY["sets"]["items"]]
    text = "".join(page.text)
    assert NASTY["description"].strip() in text
    assert "dir/<evil> & \"file\".yaml" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_src
    assert "Tom &amp; Jerry&#x27;s &lt;b&gt;plan&lt;/b&gt;" in page_src
    # inside the inline SVG, labels only appear in comments that cannot be closed early
    start, end = page_src.index("<svg"), page_src.index("</svg>")
    svg = page_src[start:end]
    assert "-->" not in svg.replace(" -->", "")


# -- the chart -----------------------------------------------------------------------------------

def test_plot_is_a_png(weighted, tmp_path):
    pytest.importorskip("matplotlib")
    out = report.write_plot(weighted, tmp_path / "chart.png")
    data = out.read_bytes()
    assert len(data) > 1000
    w, h = png_size(data)
    assert w >= 800 and h >= 200
    assert sorted(os.listdir(tmp_path)) == ["chart.png"]              # nothing else written


def test_plot_has_met_and_unmet_colours(weighted, tmp_path):
    mpimg = pytest.importorskip("matplotlib.image")
    import numpy as np

    report.write_plot(weighted, tmp_path / "chart.png")
    img = (mpimg.imread(tmp_path / "chart.png")[..., :3] * 255).round().astype(int)

    def has(hex_colour):
        rgb = np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)])
        return bool((np.abs(img - rgb).sum(axis=-1) <= 6).sum() > 200)

    assert has(report.MET_COLOUR) and has(report.UNMET_COLOUR)


def test_plot_names_are_plain_text_not_mathtext(tmp_path):
    pytest.importorskip("matplotlib")
    r = goalprog.from_dict(NASTY).solve()
    data = report.write_plot(r, tmp_path / "nasty.png").read_bytes()
    assert png_size(data)[0] > 0
    svg = report.chart_svg(r)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<!-- want[$\\alpha$_x^2] -->" in svg                         # drawn as typed


def test_chart_shows_the_40_largest_weighted_deviations():
    items = [f"i{k:02d}" for k in range(60)]
    r = goalprog.from_dict({
        "name": "many", "sets": {"items": items},
        "params": {"t": {"index": "items", "values": {it: k + 1 for k, it in enumerate(items)}}},
        "variables": {"x": {"index": "items", "upper": 0}},
        "goals": {"g": {"for": "i in items", "expr": "x[i]", "at_least": "t[i]"}},
    }).solve()
    rows, total = report.chart_rows(r)
    assert total == 60 and len(rows) == report.MAX_CHART_GOALS == 40
    # each goal misses its whole target k + 1: the largest are i59 (60) down to i20 (21)
    assert [row["label"] for row in rows] == [f"g[i{k:02d}]" for k in range(59, 19, -1)]
    title = report.chart_title(r, len(rows), total)
    assert "the 40 of 60 goal instances with the largest weighted unwanted deviation" in title
    pytest.importorskip("matplotlib")
    w, h = png_size(report.chart_png(r))
    assert h > 40 * 40                                                 # one readable row per goal


# -- without a solution --------------------------------------------------------------------------

def test_no_solution_page_says_so_and_shows_no_values(tmp_path):
    r = infeasible()
    assert not r.has_solution
    out = report.write_html(r, tmp_path / "r.html")
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    text = " ".join(" ".join(page.text).split())
    assert "No solution (status infeasible)" in text
    assert "no &lt;way&gt;" in html
    assert table(page, "gp-goals") == [["g", "\u2265 12", "under P1 w1"], ["h", "\u2264 3", "over P2 w1"]]
    assert "goal-chart" not in page.ids and "<svg" not in html
    assert "variables" not in page.ids and "expressions" not in page.ids
    assert [row[3] for row in table(page, "gp-levels")] == ["", ""]     # no achievement values
    assert "constraint c" in text                                       # the conflict
    frag = parse(report.result_html(r))
    assert table(frag, "gp-goals") == [["g", "\u2265 12", "under P1 w1"], ["h", "\u2264 3", "over P2 w1"]]
    pytest.importorskip("matplotlib")
    data = report.write_plot(r, tmp_path / "r.png").read_bytes()
    assert png_size(data)[0] > 0


# -- writing files -------------------------------------------------------------------------------

def test_unwritable_paths_raise_goalprog_errors(weighted, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("keep me")
    with pytest.raises(report.ReportError) as err:
        report.write_html(weighted, blocker / "report.html")
    assert isinstance(err.value, GoalProgError)
    assert "cannot write" in str(err.value)
    with pytest.raises(GoalProgError):
        report.write_html(weighted, tmp_path)                          # a directory
    pytest.importorskip("matplotlib")
    with pytest.raises(GoalProgError):
        report.write_plot(weighted, blocker / "deeper" / "chart.png")
    assert blocker.read_text() == "keep me"
    assert sorted(os.listdir(tmp_path)) == ["a_file"]                  # no temporary file left behind


def test_write_html_replaces_only_its_path(weighted, tmp_path):
    problem = tmp_path / "problem.yaml"
    problem.write_text("not to be touched")
    with pytest.raises(GoalProgError, match="problem file"):
        report.write_html(weighted, problem, source=str(problem))
    assert problem.read_text() == "not to be touched"
    old = tmp_path / "out" / "report.html"
    old.parent.mkdir()
    old.write_text("old")
    report.write_html(weighted, old, source=str(problem))
    assert old.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "problem.yaml", "report.html"]
    made = report.write_html(weighted, tmp_path / "new" / "sub" / "r.html")   # parents are created
    assert made.is_file()


def test_page_is_self_contained(weighted):
    pytest.importorskip("matplotlib")
    html = report.page_html(weighted)
    assert "<svg" in html
    # the SVG namespace declarations are names, not downloads
    assert all(u.startswith(("http://www.w3.org/", "http://purl.org/", "http://creativecommons.org/"))
               for u in _urls(html, "http://"))
    for bad in ("https://", "//cdn", "<script", "<link", "<img", "<iframe", "@import", "@font-face", "src="):
        assert bad not in html, bad
    assert html.count("url(") == html.count("url(#")                  # only references inside the SVG


def _urls(text: str, prefix: str) -> list[str]:
    out, k = [], text.find(prefix)
    while k >= 0:
        end = min([i for i in (text.find(c, k) for c in "\"' <>") if i >= 0] + [len(text)])
        out.append(text[k:end])
        k = text.find(prefix, end)
    return out


def test_cli_report_and_plot(problems_dir, tmp_path):
    pytest.importorskip("matplotlib")
    page, chart = tmp_path / "r.html", tmp_path / "c.png"
    res = CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_weighted.yaml"),
                                    "--report", str(page), "--plot", str(chart)])
    assert res.exit_code == 0, res.output
    assert "30,000" in page.read_text(encoding="utf-8")
    assert png_size(chart.read_bytes())[0] > 0


def test_solve_without_report_does_not_import_matplotlib(problems_dir):
    code = """
import sys
from goalprog.cli import main
try:
    main(["solve", sys.argv[1], "--format", "json"])
except SystemExit as e:
    code = e.code
import goalprog
goalprog.load(sys.argv[1]).solve()._repr_html_()     # the notebook fragment draws no chart
print("MPL", "matplotlib" in sys.modules, code, file=sys.stderr)
"""
    out = subprocess.run([sys.executable, "-c", code, str(problems_dir / "clothing_factory_weighted.yaml")],
                         capture_output=True, text=True, timeout=120)
    assert "MPL False 0" in out.stderr, out.stderr


# -- in a real browser ---------------------------------------------------------------------------

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _run_chromium(browser: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=180)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None,
                    reason="headless Chromium is not installed (Debian: apt-get install -y chromium)")
def test_page_renders_in_headless_chromium(problems_dir, tmp_path):
    pytest.importorskip("matplotlib")
    mpimg = pytest.importorskip("matplotlib.image")
    import numpy as np

    browser = _chromium()
    r = solve(problems_dir, "clothing_factory_weighted.yaml")
    page = report.write_html(r, tmp_path / "report.html", source="problems/clothing_factory_weighted.yaml")
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        dom = _run_chromium(browser, url, Path(profile), "--dump-dom")
        assert dom.returncode == 0, dom.stderr[-2000:]
        shot = tmp_path / "shot.png"
        res = _run_chromium(browser, url, Path(profile), f"--screenshot={shot}", "--window-size=1200,2000")
        assert res.returncode == 0, res.stderr[-2000:]

    # the DOM as the browser built it: the chart element and the table rows
    parsed = parse(dom.stdout)
    assert parsed.ids.get("goal-chart") == "figure"
    assert "<svg" in dom.stdout
    assert table(parsed, "gp-goals")[1][:5] == ["waste", "\u2264 20,000", "50,000", "0", "30,000"]
    assert [row[:2] for row in table(parsed, "gp-variables")] == [["pants", "0"], ["shirts", "50,000"],
                                                                  ["dresses", "0"]]

    # the screenshot: a 1200 x 2000 PNG, not blank, with the chart's met and unmet colours drawn
    data = shot.read_bytes()
    assert png_size(data) == (1200, 2000)
    img = (mpimg.imread(shot)[..., :3] * 255).round().astype(int)
    packed = (img[..., 0] << 16) | (img[..., 1] << 8) | img[..., 2]
    assert len(np.unique(packed)) > 50                                 # not a blank page

    def count(hex_colour):
        rgb = np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)])
        return int((np.abs(img - rgb).sum(axis=-1) <= 12).sum())

    assert count(report.MET_COLOUR) > 200 and count(report.UNMET_COLOUR) > 200


def test_without_matplotlib_the_page_says_so_and_the_plot_is_an_error(weighted, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)             # `import matplotlib` now fails
    page = parse(report.write_html(weighted, tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "No chart: the goal-attainment chart needs matplotlib" in " ".join(page.text)
    assert table(page, "gp-goals")[1][4] == "30,000"
    with pytest.raises(report.ReportError, match="matplotlib"):
        report.write_plot(weighted, tmp_path / "c.png")
    assert not (tmp_path / "c.png").exists()
