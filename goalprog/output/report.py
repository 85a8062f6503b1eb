"""Reports of a :class:`~goalprog.solve.results.Result` for people: HTML and a goal-attainment chart.

* :func:`result_html` - an HTML fragment (status line, priority levels, goals) for notebooks;
  ``Result._repr_html_`` calls it.
* :func:`write_plot` - the goal-attainment chart as a PNG image.
* :func:`write_html` - one self-contained HTML page: the problem's name and description, the run
  (method, backend, solver, status, message, warnings), the priority levels, the chart (inline
  SVG), and the goal, objective, variable and expression tables.  It needs no network: no
  scripts, fonts or images by URL.

Every piece of user text (names, labels, descriptions, messages) is HTML-escaped; in the chart it
is drawn as plain text (never as matplotlib mathtext).  matplotlib is imported only inside the
functions that draw, and never through ``pyplot``, so a notebook's own plotting backend is left
alone.  A result without a solution gives a page (and a chart) that says so and shows no values.

Errors in writing a file are raised as :class:`ReportError` (a :class:`~goalprog.core.errors.GoalProgError`).

This module is the report's public face; the work is done in :mod:`goalprog.output.tables` (the
HTML tables), :mod:`goalprog.output.chart` (the chart) and :mod:`goalprog.output.page` (the
fragment, the page and writing the files).
"""

from __future__ import annotations

from ..core.errors import ReportError
from .chart import (BAND_COLOUR, MAX_CHART_GOALS, MET_COLOUR, TARGET_COLOUR, UNMET_COLOUR, chart_png, chart_rows,
                    chart_svg, chart_title)
from .page import MAX_FRAGMENT_ROWS, MAX_PAGE_ROWS, page_html, result_html, write_html, write_plot
from .tables import MET_MARK, UNMET_MARK, chart_target_text, deviation_text, target_text

__all__ = ["write_html", "write_plot", "page_html", "result_html", "chart_png", "chart_svg", "chart_rows", "chart_title",
           "target_text", "chart_target_text", "deviation_text", "ReportError", "MAX_CHART_GOALS", "MAX_PAGE_ROWS",
           "MAX_FRAGMENT_ROWS", "MET_COLOUR", "UNMET_COLOUR", "BAND_COLOUR", "TARGET_COLOUR", "MET_MARK", "UNMET_MARK"]
