"""Charts of reports, in French, ready to paste (*graphiques*; extra ``charts``: matplotlib).

- :func:`breakdown`: the categories of one indicator of a report as horizontal bars,
  each with its share and count (*53 % (94)*); with ``k=5`` the cells small-count
  suppression masks (:func:`reussite.privacy.suppress_report`) are drawn as masked;
- :func:`trend`: an indicator across the periods of an
  :class:`~reussite.evolution.Evolution`, one line per category;
- :func:`key_figures`: the seed's "en quelques chiffres" box as a figure a coordinator
  pastes into the annual activity report; :func:`save` writes PNG and SVG.

Each returns a :class:`matplotlib.figure.Figure` built without pyplot (no window, no
global state: any backend, Agg included); Jupyter shows it as the cell's result.
matplotlib is imported when a chart is drawn, never by ``import reussite``.

>>> import datetime as dt
>>> from reussite.indicators import annual_report
>>> from reussite.periods import SchoolYear
>>> figure = breakdown(annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31)),
...                    "exits_by_attainment")
>>> [t.get_text() for t in figure.axes[0].get_yticklabels()]
['atteinte complète', 'atteinte partielle', 'non atteints']
>>> breakdown(annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31)), "exits")
Traceback (most recent call last):
...
reussite.errors.InvalidValue: breakdown.indicator: expected an indicator with categories ...
"""

from __future__ import annotations

import math
import pathlib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._optional import require
from .errors import InvalidValue
from .indicators import INDICATORS, NOT_APPLICABLE, Kind, Report, format_fr

if TYPE_CHECKING:
    from .evolution import Evolution

__all__ = ["COLOURS", "MASKED", "breakdown", "key_figures", "save", "trend"]

COLOURS: tuple[str, ...] = ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d99ae")
"""The colours of the charts, in order (readable in print and for colour-blind readers)."""

MASKED = "masqué (secret statistique)"
"""How a chart labels a cell that small-count suppression masks."""


def _matplotlib() -> Any:
    return require("matplotlib.figure", extra="charts", needed_by="reussite.charts")


def _new(width: float, height: float) -> tuple[Any, Any]:
    figure = _matplotlib().Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def breakdown(
    report: Report,
    indicator_id: str,
    *,
    k: int | None = None,
    hide_empty: bool = False,
    title: str | None = None,
) -> Any:
    """The categories of a breakdown indicator as bars: share (%) and count, in French.

    Args:
        report: the annual report.
        indicator_id: an indicator with categories (``"exits_by_attainment"``).
        k: mask the cells small-count suppression masks at threshold ``k``
            (:func:`reussite.privacy.suppress_report`): they are drawn hatched, labelled
            :data:`MASKED`, and their share and count are not shown.
        hide_empty: leave out the categories counting nobody.
        title: the chart's title (default: the indicator's French label, the period and
            the denominator).

    Raises:
        InvalidValue: if ``report`` is not a report, or the indicator has no categories.
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    if not isinstance(report, Report):
        raise InvalidValue("breakdown", "report", report, "a reussite.indicators.Report")
    indicator = INDICATORS.get(indicator_id)
    if indicator is None or indicator.breakdown is None:
        breakdowns = ", ".join(i.id for i in INDICATORS.values() if i.breakdown is not None)
        raise InvalidValue(
            "breakdown", "indicator", indicator_id, f"an indicator with categories ({breakdowns})"
        )
    figures = [f for f in report.figures if f.indicator.id == indicator_id]
    masked: set[str | None] = set()
    if k is not None:
        from .privacy import suppress_report

        published = suppress_report(report, k=k)
        masked = {
            f.category for f in published.figures if f.indicator.id == indicator_id and f.masked
        }
    if hide_empty:
        figures = [f for f in figures if f.numerator or f.category in masked]
    figure, ax = _new(7.0, 0.45 * max(len(figures), 1) + 1.4)
    labels = [f.category_label_fr or "" for f in figures]
    positions = list(range(len(figures)))[::-1]  # the first category on top
    shares = [
        0.0 if f.category in masked or not f.applicable else float(f.value)  # type: ignore[arg-type]
        for f in figures
    ]
    bars = ax.barh(positions, shares, color=COLOURS[0], height=0.65)
    texts = []
    for bar, f in zip(bars, figures, strict=True):
        if f.category in masked:
            bar.set_width(100.0)
            bar.set_color("#e6e6e6")
            bar.set_hatch("///")
            bar.set_edgecolor("#9a9a9a")
            bar.set_gid("masked")
            texts.append(MASKED)
        elif not f.applicable:
            texts.append(NOT_APPLICABLE.label_fr)
        else:
            texts.append(f"{format_fr(f.value, Kind.SHARE, indicator.unit)} ({f.numerator})")
    for bar, text in zip(bars, texts, strict=True):
        inside = bar.get_gid() == "masked"
        ax.text(
            50.0 if inside else bar.get_width() + 1.0,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            ha="center" if inside else "left",
            fontsize=9,
            color="#555555" if inside else "#222222",
        )
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 115)
    ax.set_xlabel(f"part des {indicator.unit.label_fr} (%)")
    ax.spines[["top", "right"]].set_visible(False)
    # The denominator, unless suppression masks some cell (it would help recompute them).
    denominator = figures[0].denominator if figures and not masked else None
    shown = "" if denominator is None else f" ({denominator} {indicator.unit.label_fr})"
    ax.set_title(
        title or f"{indicator.label_fr}\n{_period_fr(report)}{shown}", loc="left", fontsize=11
    )
    return figure


def _period_fr(report: Report) -> str:
    label = report.period.label_fr
    return label[:1].upper() + label[1:]


def trend(
    evolution: Evolution,
    indicator_id: str,
    *,
    categories: Sequence[str] | None = None,
    title: str | None = None,
) -> Any:
    """An indicator across the periods of an evolution table: one line per category.

    Values are labelled in French at each point; a period where the figure is not
    applicable leaves a gap. For a breakdown, the categories counting nobody in every
    period are left out unless named in ``categories``.

    Raises:
        InvalidValue: if the evolution has no such indicator or category.
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    rows = evolution.breakdown(indicator_id)
    if categories is not None:
        wanted = list(categories)
        known = {r.category for r in rows}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise InvalidValue(
                "trend", "categories", unknown, f"categories of {indicator_id} ({known})"
            )
        rows = tuple(r for r in rows if r.category in wanted)
    elif len(rows) > 1:
        rows = tuple(r for r in rows if any(c for c in r.counts if c))
    indicator = rows[0].indicator if rows else INDICATORS[indicator_id]
    figure, ax = _new(7.0, 3.8)
    xs = list(range(len(evolution.periods)))
    for n, row in enumerate(rows):
        ys = [float(v) if isinstance(v, int | float) else math.nan for v in row.values]
        label = row.label_fr.split(" : ", 1)[-1] if row.category is not None else row.label_fr
        ax.plot(xs, ys, marker="o", color=COLOURS[n % len(COLOURS)], label=label)
        for x, y, value in zip(xs, ys, row.values, strict=True):
            if not math.isnan(y):
                ax.annotate(
                    format_fr(value, indicator.kind, indicator.unit),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=8,
                )
    ax.set_xticks(xs, [p.key for p in evolution.periods])
    if indicator.kind is Kind.SHARE:
        ax.set_ylabel(f"part des {indicator.unit.label_fr} (%)")
        ax.set_ylim(0, 108)
    else:
        ax.set_ylabel(indicator.unit.label_fr)
        ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    if len(rows) > 1:
        ax.legend(fontsize=8, frameon=False)
    ax.set_title(title or indicator.label_fr, loc="left", fontsize=11)
    return figure


_COLUMNS = re.compile(r"\s{2,}")


def key_figures(report: Report) -> Any:
    """The seed's "en quelques chiffres" box as a figure (title, period, one line each).

    The lines are those of ``report.to_text(detail=False)``, so the figure and the text
    never disagree.

    Raises:
        InvalidValue: if ``report`` is not a report.
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    if not isinstance(report, Report):
        raise InvalidValue("key_figures", "report", report, "a reussite.indicators.Report")
    title, period, _, *lines = report.to_text(detail=False).rstrip("\n").split("\n")
    rows = [_COLUMNS.split(line.strip(), maxsplit=1) for line in lines if line.strip()]
    height = 1.3 + 0.34 * len(rows)
    figure = _matplotlib().Figure(figsize=(6.4, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, height)
    patches = require("matplotlib.patches", extra="charts", needed_by="reussite.charts")
    ax.add_patch(
        patches.FancyBboxPatch(
            (0.03, 0.08),
            0.94,
            height - 0.16,
            boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="#f3f6f9",
            edgecolor=COLOURS[0],
            linewidth=1.5,
        )
    )
    top = height - 0.42
    ax.text(0.07, top, title, fontsize=13, fontweight="bold", color=COLOURS[0], va="center")
    ax.text(0.07, top - 0.34, period, fontsize=9.5, color="#555555", va="center")
    y = top - 0.82
    for row in rows:
        label, value = (row[0], row[1]) if len(row) == 2 else (row[0], "")
        indent = 0.04 if label.startswith("dont ") else 0.0
        ax.text(0.07 + indent, y, label, fontsize=10, va="center", color="#222222")
        ax.text(0.93, y, value, fontsize=10, va="center", ha="right", fontweight="bold")
        y -= 0.34
    return figure


def save(
    figure: Any, path: str | pathlib.Path, *, formats: Iterable[str] = ("png", "svg")
) -> list[pathlib.Path]:
    """Write ``figure`` in each format (PNG at 200 dpi, SVG), beside ``path``'s stem.

    Returns:
        The paths written (``bilan.png``, ``bilan.svg`` for ``path="bilan"``).

    Raises:
        InvalidValue: for a format other than ``png``, ``svg`` or ``pdf``.
    """
    written = []
    base = pathlib.Path(path)
    for fmt in formats:
        if fmt not in ("png", "svg", "pdf"):
            raise InvalidValue("save", "formats", fmt, "'png', 'svg' or 'pdf'")
        target = base.with_suffix(f".{fmt}")
        figure.savefig(target, format=fmt, dpi=200, bbox_inches="tight")
        written.append(target)
    return written
