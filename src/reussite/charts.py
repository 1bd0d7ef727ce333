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
import os
import pathlib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._optional import require
from .errors import InvalidValue
from .indicators import INDICATORS, NOT_APPLICABLE, Kind, Report, format_fr

if TYPE_CHECKING:
    from .evolution import Evolution

__all__ = ["COLOURS", "MASKED", "MASKED_SHORT", "breakdown", "key_figures", "save", "trend"]

COLOURS: tuple[str, ...] = ("#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8d99ae")
"""The colours of the charts, in order (readable in print and for colour-blind readers)."""

MASKED = "masqué (secret statistique)"
"""How a chart labels a cell that small-count suppression masks."""


def _matplotlib() -> Any:
    return require("matplotlib.figure", extra="charts", needed_by="reussite.charts")


def _check_title(owner: str, title: object) -> None:
    if title is not None and not isinstance(title, str):
        raise InvalidValue(owner, "title", title, "a text or None")


def _check_k(owner: str, k: object) -> None:
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise InvalidValue(owner, "k", k, "a threshold of at least 1, or None")


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
    _check_k("breakdown", k)
    _check_title("breakdown", title)
    if not isinstance(hide_empty, bool):
        raise InvalidValue("breakdown", "hide_empty", hide_empty, "True or False")
    indicator = INDICATORS.get(indicator_id) if isinstance(indicator_id, str) else None
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
        InvalidValue: if ``evolution`` is not an evolution table, or has no such
            indicator or category.
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    from .evolution import Evolution

    if not isinstance(evolution, Evolution):
        raise InvalidValue(
            "trend", "evolution", evolution, "a reussite.evolution.Evolution (Reports.evolution())"
        )
    _check_title("trend", title)
    rows = evolution.breakdown(indicator_id)
    if categories is not None:
        if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
            raise InvalidValue("trend", "categories", categories, "a list of category codes")
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


_BOX_FIGURES: tuple[tuple[tuple[str, str | None], ...], ...] = (
    (("children_followed", None),),
    (("children_per_referent_fte", None),),
    (("finished_pathway_duration_mean", None),),
    (("individual_pathways", None),),
    (("actions_out_of_school_time", None),),
    (("referral_sources", "education_nationale"),),
    (("family_refusal_rate", None),),
    (("actions_by_funding", "mainstream"), ("actions_by_funding", "pre_funded")),
    (("exits_by_attainment", "complete"), ("exits_by_attainment", "partial")),
    (("exits_satisfactory_evolution", None),),
)
"""The figures behind each line of the box, in order (``Report.to_text(detail=False)``);
the communes' lines come after the first."""

MASKED_SHORT = "secret"
"""How the key figures box shows a value that small-count suppression masks."""


def _box_figures(report: Report) -> list[tuple[tuple[str, str | None], ...]]:
    communes = tuple(
        ((f.indicator.id, f.category),)
        for f in report.figures
        if f.indicator.id == "children_by_commune"
    )
    return [_BOX_FIGURES[0], *communes, *_BOX_FIGURES[1:]]


def key_figures(report: Report, *, k: int | None = None) -> Any:
    """The seed's "en quelques chiffres" box as a figure (title, period, one line each).

    The lines are those of ``report.to_text(detail=False)``, so the figure and the text
    never disagree.

    Args:
        report: the annual report.
        k: mask what small-count suppression at threshold ``k`` masks
            (:func:`reussite.privacy.suppress_report`, the same cells as
            :func:`breakdown`): each masked value is shown as :data:`MASKED_SHORT`, in
            grey, and a note under the box says why.

    Raises:
        InvalidValue: if ``report`` is not a report, or ``k`` is not an integer of at
            least 1.
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    if not isinstance(report, Report):
        raise InvalidValue("key_figures", "report", report, "a reussite.indicators.Report")
    _check_k("key_figures", k)
    title, period, _, *lines = report.to_text(detail=False).rstrip("\n").split("\n")
    rows = [_COLUMNS.split(line.strip(), maxsplit=1) for line in lines if line.strip()]
    masked_rows: list[bool] = [False] * len(rows)
    if k is not None:
        from .privacy import suppress_report

        published = suppress_report(report, k=k)
        masked = {(f.indicator.id, f.category) for f in published.figures if f.masked}
        for n, keys in enumerate(_box_figures(report)):
            hidden = [key in masked for key in keys]
            if any(hidden):
                masked_rows[n] = True
                label, value = rows[n] if len(rows[n]) == 2 else (rows[n][0], "")
                parts = value.split(" / ") if len(keys) > 1 else [value]
                if len(parts) != len(keys):  # pragma: no cover - the box's own format
                    parts = [value] * len(keys)
                shown = [MASKED_SHORT if h else part for h, part in zip(hidden, parts, strict=True)]
                rows[n] = [label, " / ".join(shown)]
    height = 1.3 + 0.34 * len(rows) + (0.3 if k is not None else 0.0)
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
    for row, row_masked in zip(rows, masked_rows, strict=True):
        label, value = (row[0], row[1]) if len(row) == 2 else (row[0], "")
        indent = 0.04 if label.startswith("dont ") else 0.0
        ax.text(0.07 + indent, y, label, fontsize=10, va="center", color="#222222")
        text = ax.text(
            0.93,
            y,
            value,
            fontsize=10,
            va="center",
            ha="right",
            fontweight="bold",
            color="#9a9a9a" if row_masked else "#222222",
        )
        if row_masked:
            text.set_gid("masked")
        y -= 0.34
    if k is not None:
        ax.text(
            0.07,
            y + 0.05,
            f"{MASKED_SHORT} : moins de {k} personnes, ou permettrait de les retrouver "
            "(secret statistique)",
            fontsize=7.5,
            va="center",
            color="#555555",
        )
    return figure


def save(
    figure: Any, path: str | pathlib.Path, *, formats: Iterable[str] = ("png", "svg")
) -> list[pathlib.Path]:
    """Write ``figure`` in each format (PNG at 200 dpi, SVG), beside ``path``'s stem.

    Returns:
        The paths written (``bilan.png``, ``bilan.svg`` for ``path="bilan"``).

    Raises:
        InvalidValue: if ``figure`` is not a matplotlib figure, for a format other than
            ``png``, ``svg`` or ``pdf`` (or none), or a path whose folder does not exist
            or cannot be written to (nothing is written then).
        MissingOptionalDependency: if matplotlib is not installed (extra ``charts``).
    """
    if not isinstance(figure, _matplotlib().Figure):
        raise InvalidValue("save", "figure", figure, "a matplotlib Figure (from reussite.charts)")
    if not isinstance(path, str | os.PathLike) or not os.fspath(path):
        raise InvalidValue("save", "path", path, "a file path (str or pathlib.Path)")
    if isinstance(formats, str | bytes) or not isinstance(formats, Iterable):
        raise InvalidValue("save", "formats", formats, "a list of formats: 'png', 'svg', 'pdf'")
    chosen = list(formats)
    for fmt in chosen:
        if fmt not in ("png", "svg", "pdf"):
            raise InvalidValue("save", "formats", fmt, "'png', 'svg' or 'pdf'")
    if not chosen:
        raise InvalidValue("save", "formats", chosen, "at least one of 'png', 'svg', 'pdf'")
    base = pathlib.Path(path)
    if base.name in ("", ".", ".."):
        raise InvalidValue("save", "path", path, "a file path, not a folder")
    if not base.parent.is_dir():
        raise InvalidValue("save", "path", path, "a path in an existing folder")
    written = []
    for fmt in dict.fromkeys(chosen):
        target = base.with_suffix(f".{fmt}")
        try:
            figure.savefig(target, format=fmt, dpi=200, bbox_inches="tight")
        except OSError as error:
            raise InvalidValue(
                "save", "path", str(target), f"a file that can be written ({error.strerror})"
            ) from error
        written.append(target)
    return written
