"""Charts drawn with matplotlib (Agg) and compared by structure: bars, texts, lines, files."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.errors import InvalidValue, ReussiteError
from reussite.evolution import annual_reports
from reussite.indicators import MissingOptionalDependency, annual_report
from reussite.privacy import suppress_report
from reussite.serialization import load_cohort

pytest.importorskip("matplotlib")
from matplotlib.figure import Figure

from reussite import charts

YEAR = r.SchoolYear(2017)
YEARS = [r.SchoolYear(2015), r.SchoolYear(2016), YEAR]


@pytest.fixture(scope="module")
def seed() -> list[r.Pathway]:
    with load_cohort(r.sample_path("cohort")) as cohort:
        return list(cohort)


@pytest.fixture(scope="module")
def report(seed):
    return annual_report(seed, YEAR, as_of=YEAR.end, programme=seed[0].programme)


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_a_breakdown_draws_one_bar_per_category_with_share_and_count(report):
    figure = charts.breakdown(report, "exits_by_attainment")
    (ax,) = figure.axes
    bars = ax.patches
    figures = [f for f in report.figures if f.indicator.id == "exits_by_attainment"]
    assert [b.get_width() for b in bars] == pytest.approx([f.value for f in figures])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["atteinte complète", "atteinte partielle", "non atteints"]
    assert _texts(ax) == [f"{round(f.value)} % ({f.numerator})" for f in figures]
    assert ax.get_title(loc="left").startswith("Sorties selon l'atteinte des résultats\n")
    assert "Année scolaire 2017/2018 (85 sorties)" in ax.get_title(loc="left")
    assert ax.get_xlabel() == "part des sorties (%)"


def test_masked_cells_are_drawn_as_masked(report):
    published = suppress_report(report, k=5)
    masked = {
        f.category for f in published.figures if f.indicator.id == "referral_sources" and f.masked
    }
    assert masked  # the seed has small counts of referral sources
    figure = charts.breakdown(report, "referral_sources", k=5)
    (ax,) = figure.axes
    codes = [f.category for f in report.figures if f.indicator.id == "referral_sources"]
    for code, bar, text in zip(codes, ax.patches, _texts(ax), strict=True):
        if code in masked:
            assert bar.get_hatch() == "///"
            assert text == charts.MASKED
        else:
            assert bar.get_hatch() is None
            assert "%" in text
    assert "(192" not in ax.get_title(loc="left")  # the denominator would help recompute them
    shown = charts.breakdown(report, "referral_sources", hide_empty=True)
    assert len(shown.axes[0].patches) == sum(
        1 for f in report.figures if f.indicator.id == "referral_sources" and f.numerator
    )


def test_not_applicable_cells_say_so():
    empty = annual_report([], YEAR, as_of=YEAR.end)
    ax = charts.breakdown(empty, "exits_by_attainment", title="Sorties").axes[0]
    assert set(_texts(ax)) == {"sans objet"}
    assert ax.get_title(loc="left") == "Sorties"


def test_a_trend_draws_one_line_per_category(seed):
    evolution = annual_reports(seed, YEARS, programme=seed[0].programme).evolution()
    ax = charts.trend(evolution, "children_by_commune").axes[0]
    assert [line.get_label() for line in ax.lines] == [
        "Salon-de-Provence (13103)",
        "Berre-l'Étang (13014)",
    ]
    salon = evolution.row("children_by_commune", "13103").values
    assert list(ax.lines[0].get_ydata()) == pytest.approx(salon)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2015-2016", "2016-2017", "2017-2018"]
    assert ax.get_ylabel() == "part des enfants (%)"
    one = evolution.plot("exits_by_attainment", categories=["complete"]).axes[0]
    ys = one.lines[0].get_ydata()
    assert math.isnan(ys[0])
    assert len(one.texts) == 2
    count = charts.trend(evolution, "children_followed").axes[0]
    assert [t.get_text() for t in count.texts] == ["86", "183", "192"]
    assert count.get_ylabel() == "enfants"
    with pytest.raises(InvalidValue, match="categories"):
        charts.trend(evolution, "children_by_commune", categories=["75056"])


def test_key_figures_is_the_text_box(report, tmp_path):
    figure = charts.key_figures(report)
    texts = _texts(figure.axes[0])
    assert texts[0] == "PRE du Pays Salonais — en quelques chiffres"
    assert texts[1] == "Année scolaire 2017/2018 (données au 31/08/2018)"
    pairs = dict(zip(texts[2::2], texts[3::2], strict=True))
    assert pairs["Enfants suivis"] == "192"
    assert pairs["Sorties : atteinte complète / partielle"] == "53 % / 29 %"
    assert pairs["Référents de parcours"] == "3 (2,53 ETP)"
    written = charts.save(figure, tmp_path / "bilan")
    assert [p.name for p in written] == ["bilan.png", "bilan.svg"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = written[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    with pytest.raises(InvalidValue, match="formats"):
        charts.save(figure, tmp_path / "bilan", formats=["gif"])


def test_refusals(report, monkeypatch):
    with pytest.raises(InvalidValue, match="indicator with categories"):
        charts.breakdown(report, "children_followed")
    with pytest.raises(InvalidValue, match="Report"):
        charts.breakdown("report", "exits_by_attainment")
    with pytest.raises(InvalidValue, match="Report"):
        charts.key_figures(None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingOptionalDependency, match=r"reussite\[charts\]"):
        charts.key_figures(report)


def test_key_figures_masks_what_suppression_masks(report):
    published = suppress_report(report, k=5)
    masked = {(f.indicator.id, f.category) for f in published.figures if f.masked}
    assert ("family_refusal_rate", None) in masked  # one family out of 108 in the seed
    ax = charts.key_figures(report, k=5).axes[0]
    texts = _texts(ax)
    pairs = dict(zip(texts[2:-1:2], texts[3:-1:2], strict=True))
    assert pairs["Familles refusant le dispositif"] == charts.MASKED_SHORT
    assert pairs["Enfants suivis"] == "192"  # not masked: shown as in the text box
    assert texts[-1].startswith(f"{charts.MASKED_SHORT} : moins de 5 personnes")
    shown_masked = [t for t in ax.texts if t.get_gid() == "masked"]
    assert all(charts.MASKED_SHORT in t.get_text() for t in shown_masked)
    plain = dict(zip(*[iter(_texts(charts.key_figures(report).axes[0])[2:])] * 2, strict=True))
    assert plain["Familles refusant le dispositif"] != charts.MASKED_SHORT
    # every line of the box that shows a masked figure says so, and no other
    expected = sum(any(key in masked for key in keys) for keys in charts._box_figures(report))
    assert len(shown_masked) == expected
    with pytest.raises(InvalidValue, match="k"):
        charts.key_figures(report, k=0)


def test_trend_and_save_refuse_what_they_cannot_draw(seed, report, tmp_path):
    evolution = annual_reports(seed, YEARS).evolution()
    with pytest.raises(InvalidValue, match=r"trend\.evolution"):
        charts.trend(report, "children_followed")
    with pytest.raises(InvalidValue, match="indicator_id"):
        charts.trend(evolution, "nope")
    with pytest.raises(InvalidValue, match="categories"):
        charts.trend(evolution, "children_by_commune", categories="13103")
    figure = charts.key_figures(report)
    with pytest.raises(InvalidValue, match=r"save\.figure"):
        charts.save("x", tmp_path / "x")
    with pytest.raises(InvalidValue, match="existing folder"):
        charts.save(figure, tmp_path / "nonexistent" / "x")
    with pytest.raises(InvalidValue, match="formats"):
        charts.save(figure, tmp_path / "x", formats="png")
    with pytest.raises(InvalidValue, match="formats"):
        charts.save(figure, tmp_path / "x", formats=[])
    (tmp_path / "d.png").mkdir()
    with pytest.raises(InvalidValue, match="can be written"):
        charts.save(figure, tmp_path / "d", formats=["png"])
    assert not list(tmp_path.glob("x.*"))


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.dates(),
    st.just(object()),
    st.sampled_from(["children_followed", "exits_by_attainment", "children_by_commune"]),
)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzzed_arguments_raise_only_reussite_errors(seed, report, tmp_path_factory, data):
    """Whatever a caller passes, a chart draws or says what is wrong (a ReussiteError)."""
    evolution = annual_reports(seed[:40], YEARS).evolution()
    which = data.draw(st.sampled_from(["breakdown", "trend", "key_figures", "save"]))
    a, b = data.draw(_ANYTHING), data.draw(_ANYTHING)
    first = data.draw(st.sampled_from([report, evolution, a]))
    try:
        if which == "breakdown":
            charts.breakdown(first, b, k=data.draw(_ANYTHING), hide_empty=data.draw(_ANYTHING))
        elif which == "trend":
            charts.trend(first, b, categories=data.draw(_ANYTHING), title=data.draw(_ANYTHING))
        elif which == "key_figures":
            charts.key_figures(first, k=data.draw(_ANYTHING))
        else:
            folder = tmp_path_factory.mktemp("save")
            path = data.draw(st.sampled_from([folder / "f", a, str(folder / "g")]))
            charts.save(Figure() if b is None else b, path, formats=data.draw(_ANYTHING))
    except ReussiteError:
        pass
