"""Several years in one pass: each report equals its own annual_report; the evolution table."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.errors import InvalidValue
from reussite.evolution import Evolution, Reports, annual_reports
from reussite.indicators import NOT_APPLICABLE, annual_report
from reussite.periods import CalendarYear, DateRange, SchoolYear
from reussite.serialization import load_cohort
from test_indicators_properties import cohorts

D = dt.date
YEARS = [SchoolYear(2015), SchoolYear(2016), SchoolYear(2017)]


@pytest.fixture(scope="module")
def seed() -> list[r.Pathway]:
    with load_cohort(r.sample_path("cohort")) as cohort:
        return list(cohort)


periods = st.one_of(
    st.integers(2014, 2019).map(SchoolYear),
    st.integers(2014, 2019).map(CalendarYear),
    st.tuples(st.dates(D(2014, 1, 1), D(2019, 12, 31)), st.integers(0, 900)).map(
        lambda t: DateRange(start=t[0], end=t[0] + dt.timedelta(days=t[1]))
    ),
)


@settings(max_examples=40)
@given(
    cohorts(),
    st.lists(periods, min_size=1, max_size=4, unique=True),
    st.none() | st.dates(D(2015, 1, 1), D(2020, 12, 31)),
)
def test_each_report_equals_its_own_annual_report(cohort, chosen, as_of):
    reports = annual_reports(iter(cohort), chosen, as_of=as_of)
    assert len(reports) == len(chosen)
    for period in chosen:
        single = annual_report(cohort, period, as_of=period.end if as_of is None else as_of)
        assert reports[period] == single
        assert reports[period].figures == single.figures


def test_the_seed_years_in_one_pass(seed):
    programme = seed[0].programme
    calls: list[int] = []
    reports = annual_reports(seed, reversed(YEARS), programme=programme, progress=calls.append)
    assert list(reports) == YEARS  # in order of their start
    assert repr(reports) == "Reports(2015-2016, 2016-2017, 2017-2018)"
    for year in YEARS:
        assert reports[year] == annual_report(seed, year, as_of=year.end, programme=programme)
    assert calls == []  # fewer than 10,000 pathways
    many = annual_reports(seed * 1, [CalendarYear(2017)], as_of=D(2018, 12, 31))
    assert many[CalendarYear(2017)].count("children_followed") > 0
    with pytest.raises(InvalidValue, match="one of 2015-2016"):
        reports[CalendarYear(2017)]


def test_progress_is_called_every_ten_thousand_or_so():
    calls: list[int] = []
    annual_reports(iter([]), YEARS, progress=calls.append)
    assert calls == []


def test_the_evolution_table(seed):
    evolution = annual_reports(seed, YEARS, programme=seed[0].programme).evolution()
    assert evolution.periods == tuple(YEARS)
    followed = evolution.row("children_followed")
    assert followed.values == (86, 183, 192)
    assert (followed.change, round(followed.change_percent)) == (106, 123)
    berre = evolution.row("children_by_commune", "13014")
    assert berre.change == pytest.approx(berre.values[-1] - berre.values[0])
    assert berre.counts[-1] == 40
    complete = evolution.row("exits_by_attainment", "complete")
    assert complete.values[0] is NOT_APPLICABLE
    assert complete.change is None
    assert [row.category for row in evolution.breakdown("exits_by_attainment")] == [
        "complete",
        "partial",
        "none",
    ]
    records = evolution.to_records()
    assert records[0]["2015-2016"] == 86
    assert records[0]["change"] == 106
    assert all(set(record) >= {"2017-2018", "change", "change_percent"} for record in records)
    text = evolution.to_text(ids=["children_followed", "exits_by_attainment"])
    lines = text.splitlines()
    assert lines[0].split() == ["Indicateur", "2015-2016", "2016-2017", "2017-2018", "Évolution"]
    assert lines[1].endswith("+106 (+123 %)")
    assert "sans objet" in lines[2]
    assert len(evolution.to_text().splitlines()) == len(evolution.rows) + 1
    frame = evolution.to_pandas()
    assert list(frame.columns[:5]) == ["indicator", "category", "label_fr", "kind", "unit"]
    with pytest.raises(InvalidValue, match="figure"):
        evolution.row("children_followed", "13103")
    with pytest.raises(InvalidValue, match="indicator"):
        evolution.breakdown("pupils")


def test_a_category_missing_one_year_counts_zero():
    a = annual_report([], SchoolYear(2016), as_of=D(2017, 8, 31))
    evolution = Evolution.of({SchoolYear(2016): a})
    assert evolution.row("children_by_commune").values == (NOT_APPLICABLE,)
    with pytest.raises(InvalidValue, match="at least one report"):
        Evolution.of({})
    assert isinstance(Reports({SchoolYear(2016): a}).evolution(), Evolution)


def test_refusals(seed):
    with pytest.raises(InvalidValue, match="periods"):
        annual_reports(seed, [])
    with pytest.raises(InvalidValue, match="periods"):
        annual_reports(seed, [SchoolYear(2017), "2018"])
    with pytest.raises(InvalidValue, match="each period once"):
        annual_reports(seed, [SchoolYear(2017), SchoolYear(2017)])
    with pytest.raises(InvalidValue, match="periods"):
        annual_reports(seed, SchoolYear(2017))
    with pytest.raises(InvalidValue, match="as_of"):
        annual_reports(seed, YEARS, as_of="2018-08-31")
    with pytest.raises(InvalidValue, match="programme"):
        annual_reports(seed, YEARS, programme="pre")
    with pytest.raises(InvalidValue, match="pathways"):
        annual_reports("cohort.jsonl", YEARS)
    with pytest.raises(r.RegisterConflict, match="appears twice"):
        annual_reports(seed + seed[:1], YEARS)


def test_errors_name_the_period_and_what_is_wrong(seed):
    with pytest.raises(
        InvalidValue, match=r"annual_reports\.periods: expected a list of periods.*'2017'"
    ):
        annual_reports(seed, "2017")
    with pytest.raises(InvalidValue, match=r"periods\[1\]"):
        annual_reports(seed, [SchoolYear(2017), "2018"])
    with pytest.raises(InvalidValue, match="progress"):
        annual_reports(seed, YEARS, progress=3)
    reports = annual_reports(seed[:10], YEARS)
    with pytest.raises(InvalidValue, match=r"got <SchoolYear '2020-2021'>"):
        reports[SchoolYear(2020)]
    with pytest.raises(InvalidValue, match=r"Reports\.period"):
        reports[["unhashable"]]


def test_the_evolution_table_never_drops_what_it_was_asked(seed):
    evolution = annual_reports(seed, YEARS).evolution()
    with pytest.raises(InvalidValue, match="'nope'"):
        evolution.to_text(ids=["nope", "children_followed"])
    with pytest.raises(InvalidValue, match="ids"):
        evolution.to_text(ids=["nope"])
    with pytest.raises(InvalidValue, match="ids"):
        evolution.to_text(ids="children_followed")
    with pytest.raises(InvalidValue, match="ids"):
        evolution.to_text(ids=[])
    text = evolution.to_text(ids=["exits", "children_followed"])
    assert [line.split("  ")[0] for line in text.splitlines()[1:]] == [
        "Enfants suivis",
        "Sorties dans la période",
    ]
    with pytest.raises(InvalidValue, match="at least one report"):
        Evolution.of({})
    with pytest.raises(InvalidValue, match="mapping"):
        Evolution.of([])
    report = annual_report([], SchoolYear(2017), as_of=D(2018, 8, 31))
    with pytest.raises(InvalidValue, match="period's Report"):
        Evolution.of({SchoolYear(2016): report})
    with pytest.raises(InvalidValue, match="indicator_id"):
        evolution.breakdown(3)
    with pytest.raises(InvalidValue, match="periods"):
        Evolution(periods=(), rows=())


def test_a_pathway_ended_before_the_period_is_only_read(seed):
    """The multi-year shortcut counts what add_all would, and refuses anything else."""
    year = SchoolYear(2017)
    ended = [p for p in seed if p.ended_on is not None and p.ended_on < year.start]
    assert ended
    shortcut = r.indicators.Tally(period=year, as_of=year.end)
    shortcut.add_ended_before(ended)
    full = r.indicators.Tally(period=year, as_of=year.end).add_all(ended)
    assert shortcut == full
    running = next(p for p in seed if p.ended_on is None)
    with pytest.raises(InvalidValue, match="ended before"):
        shortcut.add_ended_before([running])
    with pytest.raises(InvalidValue, match="ended before"):
        shortcut.add_ended_before(["p-1"])


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3000),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.dates(),
    st.just(object()),
    st.just(SchoolYear(2017)),
    st.lists(st.just(SchoolYear(2016)), max_size=2),
    st.just("children_followed"),
)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzzed_arguments_raise_only_reussite_errors(seed, data):
    evolution = annual_reports(seed[:30], YEARS).evolution()
    which = data.draw(st.sampled_from(["reports", "of", "row", "breakdown", "to_text", "get"]))
    a, b = data.draw(_ANYTHING), data.draw(_ANYTHING)
    try:
        if which == "reports":
            pathways = data.draw(st.sampled_from([seed[:5], a]))
            annual_reports(pathways, b, as_of=data.draw(_ANYTHING), progress=data.draw(_ANYTHING))
        elif which == "of":
            Evolution.of(a)
        elif which == "row":
            evolution.row(a, b)
        elif which == "breakdown":
            evolution.breakdown(a)
        elif which == "to_text":
            evolution.to_text(ids=a)
        else:
            annual_reports(seed[:5], YEARS)[a]
    except r.ReussiteError:
        pass
