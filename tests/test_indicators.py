from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys

import attrs
import pytest

import reussite as r
from reussite.indicators import (
    INDICATORS,
    NOT_APPLICABLE,
    RECORD_FIELDS,
    AgeBand,
    Kind,
    MissingOptionalDependency,
    PriorityArea,
    Report,
    Tally,
    Unit,
    annual_report,
    format_fr,
)
from reussite.periods import CalendarYear, DateRange, SchoolYear
from test_indicators_cohorts import PROGRAMME, action, decision, followed, pathway

D = dt.date
SY17, SY18 = SchoolYear(2017), SchoolYear(2018)
AS_OF = D(2019, 12, 31)


def report(pathways, period=SY17, as_of=AS_OF, **kw):
    return annual_report(pathways, period, as_of=as_of, **kw)


# --- the definitions -------------------------------------------------------------------


def test_every_indicator_is_defined_as_data_and_reported():
    figures = report([]).figures
    assert {f.indicator.id for f in figures} == set(INDICATORS)
    for indicator in INDICATORS.values():
        assert indicator.version >= 1
        assert (indicator.denominator is None) == (indicator.kind is Kind.COUNT)
        assert indicator.label_fr
        assert indicator.description
        assert indicator.in_period


def test_an_indicator_definition_is_validated():
    with pytest.raises(r.InvalidValue, match=r"Indicator\.unit"):
        attrs.evolve(INDICATORS["entries"], unit="children")


def test_age_bands_and_priority_areas():
    assert [AgeBand.of(a) for a in (1, 2, 5, 6, 10, 11, 15, 16, 18)] == [
        AgeBand.UNDER_2,
        AgeBand.FROM_2_TO_5,
        AgeBand.FROM_2_TO_5,
        AgeBand.FROM_6_TO_10,
        AgeBand.FROM_6_TO_10,
        AgeBand.FROM_11_TO_15,
        AgeBand.FROM_11_TO_15,
        AgeBand.FROM_16,
        AgeBand.FROM_16,
    ]
    assert PriorityArea.of(in_qpv=True, in_rep=True) is PriorityArea.QPV_AND_REP
    assert PriorityArea.of(in_qpv=False, in_rep=True) is PriorityArea.REP_ONLY
    assert PriorityArea.of(in_qpv=False, in_rep=False) is PriorityArea.NEITHER


# --- children followed -----------------------------------------------------------------


def test_a_pathway_spanning_two_school_years_counts_in_both():
    p = followed("p-1", D(2018, 3, 1), exit_on=D(2018, 11, 20))
    assert report([p], SY17).value("children_followed") == 1
    assert report([p], SY18).value("children_followed") == 1
    assert report([p], SchoolYear(2019)).value("children_followed") == 0
    assert report([p], SchoolYear(2016)).value("children_followed") == 0


def test_a_child_with_two_pathways_counts_once_with_the_latest_profile():
    first = followed("p-1", D(2017, 9, 20), exit_on=D(2017, 12, 15), commune="13103")
    second = followed(
        "p-2", D(2018, 3, 1), commune="13014", qpv=None, priority_education=r.PriorityEducation.REP
    )
    other = followed("p-3", D(2018, 2, 1), child="enf-2")
    rep = report([second, other, first])
    assert rep.value("children_followed") == 2
    assert rep.figure("children_by_commune", "13014").numerator == 1
    assert rep.figure("children_by_commune", "13103").numerator == 1
    assert rep.value("entries") == 3  # entries count pathways, not children
    assert rep.figure("children_by_priority_area", "rep_only").numerator == 1
    assert rep.figure("children_by_priority_area", "qpv_only").numerator == 1


def test_a_pathway_before_admission_is_not_followed():
    waiting = pathway("p-1", consent=D(2017, 10, 9))
    rep = report([waiting])
    assert rep.value("children_followed") == 0
    assert rep.value("referrals_received") == 1


def test_a_pathway_ending_the_day_before_the_period_is_not_followed():
    p = followed("p-1", D(2017, 1, 10), exit_on=D(2017, 8, 31))
    assert report([p]).value("children_followed") == 0
    assert report([p], CalendarYear(2017)).value("children_followed") == 1


def test_exits_outside_the_period_do_not_count():
    p = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 9, 3))
    rep = report([p])
    assert rep.value("children_followed") == 1
    assert rep.value("exits") == 0
    assert rep.value("exits_by_attainment", "complete") is NOT_APPLICABLE
    assert report([p], SY18).value("exits") == 1


def test_children_per_referent_fte_uses_the_programme_fte():
    pathways = [followed(f"p-{i}", D(2017, 10, 2), child=f"enf-{i}") for i in range(9)]
    rep = report(pathways)
    assert rep.figure("children_per_referent_fte").denominator == pytest.approx(1.8)
    assert rep.value("children_per_referent_fte") == pytest.approx(9 / 1.8)
    assert rep.value("children_per_referent_fte") == pytest.approx(5)
    no_referent = attrs.evolve(PROGRAMME, referents=())
    assert report([], programme=no_referent).value("children_per_referent_fte") is NOT_APPLICABLE


def test_pathways_of_several_programmes_add_their_fte():
    other = attrs.evolve(PROGRAMME, id="pre-autre", name="PRE autre")
    a = followed("p-1", D(2017, 10, 2))
    b = followed("p-2", D(2017, 10, 2), child="enf-2", programme=other)
    rep = report([a, b])
    assert rep.figure("children_per_referent_fte").denominator == pytest.approx(3.6)
    assert rep.programme_names == ("PRE autre", "PRE du Pays Salonais")


def test_a_pathway_of_another_programme_is_refused_when_one_is_given():
    other = attrs.evolve(PROGRAMME, id="pre-autre")
    p = followed("p-1", D(2017, 10, 2), programme=other)
    with pytest.raises(r.InvalidInput, match="belongs to programme 'pre-autre'"):
        report([p], programme=PROGRAMME)


def test_one_programme_id_with_two_ftes_is_refused():
    other = attrs.evolve(PROGRAMME, referents=(r.Referent(id="ref-a", name="A", fte=0.5),))
    a = followed("p-1", D(2017, 10, 2))
    b = followed("p-2", D(2017, 10, 2), child="enf-2", programme=other)
    with pytest.raises(r.InvalidInput, match="two referent FTEs"):
        report([a, b])
    with pytest.raises(r.InvalidInput, match="two referent FTEs"):
        report([a]).merge(report([b]))


def test_the_same_pathway_twice_is_refused():
    p = followed("p-1", D(2017, 10, 2))
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        report([p, p])
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        report([p]).merge(report([p]))


# --- durations, exits ------------------------------------------------------------------


def test_duration_runs_from_admission_to_exit_in_whole_months():
    a = followed("p-1", D(2016, 11, 7), exit_on=D(2017, 12, 6), child="enf-1")  # 12 months
    b = followed("p-2", D(2017, 1, 10), exit_on=D(2018, 2, 10), child="enf-2")  # 13 months
    c = followed("p-3", D(2017, 3, 1), exit_on=D(2018, 6, 30), child="enf-3")  # 15 months
    rep = report([a, b, c])
    assert rep.value("finished_pathway_duration_mean") == pytest.approx(40 / 3)
    assert rep.figure("finished_pathway_duration_mean").numerator == 40
    assert rep.value("finished_pathway_duration_median") == 13
    assert report([a, b]).value("finished_pathway_duration_median") == 12.5


def test_exit_shares_by_attainment_reason_and_evolution():
    met = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 5, 2))
    part = followed(
        "p-2",
        D(2017, 10, 2),
        exit_on=D(2018, 5, 2),
        child="enf-2",
        objective=r.ObjectiveStatus.PARTIALLY_MET,
        satisfactory=False,
    )
    gone = followed("p-3", D(2017, 10, 2), child="enf-3", withdrawn=D(2018, 1, 5))
    rep = report([met, part, gone])
    assert rep.value("exits") == 3
    assert rep.value("exits_by_attainment", "complete") == pytest.approx(100 / 3)
    assert rep.value("exits_by_attainment", "partial") == pytest.approx(100 / 3)
    assert rep.value("exits_by_attainment", "none") == pytest.approx(100 / 3)
    assert rep.figure("exits_by_reason", "family_withdrawal").numerator == 1
    # the withdrawal was not assessed: 1 satisfactory of 2 assessed
    evolution = rep.figure("exits_satisfactory_evolution")
    assert (evolution.numerator, evolution.denominator, evolution.value) == (1, 2, 50.0)


def test_typed_accessors_give_an_int_for_counts_and_a_float_for_the_rest():
    met = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 5, 2))
    rep = report([met])
    assert rep.count("exits") == 1
    assert type(rep.count("exits")) is int
    assert rep.count("exits_by_attainment", "complete") == 1  # a share's numerator
    assert rep.number("exits_by_attainment", "complete") == 100.0
    assert type(rep.number("children_followed")) is float
    assert rep.number("finished_pathway_duration_mean") == rep.value(
        "finished_pathway_duration_mean"
    )
    with pytest.raises(
        r.InvalidValue,
        match=r"Report.count.indicator: expected a count or a share \(this one is a mean",
    ):
        rep.count("finished_pathway_duration_mean")
    empty = report([])
    assert empty.count("exits") == 0
    with pytest.raises(r.InvalidValue, match="not applicable"):
        empty.number("exits_by_attainment", "complete")
    with pytest.raises(r.InvalidValue, match="one of children_followed"):
        empty.count("no_such_indicator")


def test_handovers_to_child_protection_in_the_period():
    crip = followed("p-1", D(2017, 10, 2), handover=(D(2018, 2, 1), r.HandoverRecipient.CRIP))
    other = followed(
        "p-2",
        D(2017, 10, 2),
        child="enf-2",
        handover=(D(2018, 2, 1), r.HandoverRecipient.PROSECUTOR),
    )
    early = pathway(
        "p-3", child="enf-3", handover=(D(2017, 10, 3), r.HandoverRecipient.ASE)
    )  # before consent: not followed, still a handover
    late = followed(
        "p-4", D(2017, 10, 2), child="enf-4", handover=(D(2018, 9, 1), r.HandoverRecipient.CRIP)
    )
    rep = report([crip, other, early, late])
    assert rep.value("handovers_child_protection") == 3
    assert rep.value("exits") == 0
    assert rep.value("children_followed") == 3


# --- referrals, delays ---------------------------------------------------------------


def test_family_refusal_rate_counts_refusals_among_the_referrals_of_the_period():
    refused = pathway("p-1", refused=D(2017, 10, 20))
    withdrew = pathway("p-2", child="enf-2", consent=D(2017, 10, 9), withdrawn=D(2017, 10, 12))
    before = pathway("p-3", child="enf-3", referred=D(2017, 8, 30), refused=D(2017, 9, 4))
    rep = report([refused, withdrew, before])
    figure = rep.figure("family_refusal_rate")
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.value == 50.0
    assert report([]).value("family_refusal_rate") is NOT_APPLICABLE


def test_delays_between_steps():
    p = pathway(
        "p-1",
        referred=D(2017, 10, 2),
        consent=D(2017, 10, 9),
        admitted=D(2017, 11, 6),
        started=D(2017, 11, 16),
    )
    q = pathway(
        "p-2",
        child="enf-2",
        referred=D(2017, 10, 2),
        consent=D(2017, 10, 5),
        admitted=D(2017, 10, 20),
        started=D(2017, 10, 20),
    )
    rep = report([p, q])
    assert rep.value("delay_referral_to_consent_mean") == 5
    assert rep.value("delay_referral_to_consent_median") == 5
    assert rep.value("delay_consent_to_decision_mean") == (28 + 15) / 2
    assert rep.value("delay_decision_to_start_median") == 5
    assert rep.figure("delay_decision_to_start_mean").denominator == 2


def test_referral_sources_are_by_child():
    en = followed("p-1", D(2017, 10, 2))
    caf = followed("p-2", D(2017, 10, 2), child="enf-2", source=r.ReferralSource.CAF)
    rep = report([en, caf])
    assert rep.value("referral_sources", "education_nationale") == 50.0
    assert rep.value("referral_sources", "caf") == 50.0


# --- actions ---------------------------------------------------------------------------


def test_actions_counted_when_they_overlap_the_period():
    start = D(2017, 3, 8)
    p = followed(
        "p-1",
        D(2017, 3, 1),
        actions=[
            (start, action("a-old", start, funding=r.ActionFunding.MAINSTREAM)),
            (start, action("a-run", start, funding=r.ActionFunding.MAINSTREAM)),
            (
                D(2017, 9, 5),
                action(
                    "a-school",
                    D(2017, 9, 5),
                    timing=r.ActionTiming.SCHOOL_TIME,
                    kind=r.ActionKind.COLLECTIVE,
                ),
            ),
        ],
        action_ends=[(D(2017, 6, 30), "a-old")],
    )
    rep = report([p])
    assert rep.figure("actions_out_of_school_time").denominator == 2
    assert rep.value("actions_out_of_school_time") == 50.0
    assert rep.value("actions_by_funding", "mainstream") == 50.0
    assert rep.value("individual_pathways") == 100.0


def test_cancelled_and_future_actions_do_not_count():
    started = D(2017, 10, 9)
    p = followed(
        "p-1",
        D(2017, 10, 2),
        actions=[(started, action("a-later", D(2018, 1, 15)))],
        withdrawn=D(2017, 12, 1),  # the action is cancelled: it never started
    )
    assert p.actions[0].cancelled
    rep = report([p])
    assert rep.value("actions_out_of_school_time") is NOT_APPLICABLE
    assert rep.value("individual_pathways") is NOT_APPLICABLE
    future = [(D(2018, 8, 8), action("a", D(2018, 9, 3)))]
    q = followed("p-2", D(2018, 8, 1), child="enf-2", actions=future)
    later = report([q], as_of=D(2018, 8, 31))
    assert later.figure("actions_by_funding", "pre_funded").denominator == 0


def test_a_child_with_only_collective_actions_is_not_in_an_individual_pathway():
    started = D(2017, 10, 9)
    solo = followed("p-1", D(2017, 10, 2))
    group = followed(
        "p-2",
        D(2017, 10, 2),
        child="enf-2",
        actions=[(started, action("a", started, kind=r.ActionKind.COLLECTIVE))],
    )
    fig = report([solo, group]).figure("individual_pathways")
    assert (fig.numerator, fig.denominator, fig.value) == (1, 2, 50.0)


def test_objective_domains_of_followed_pathways():
    health = followed("p-1", D(2017, 10, 2), domain=r.ObjectiveDomain.HEALTH)
    rep = report([health])
    assert rep.value("objectives_by_domain", "health") == 100.0
    assert report([health], SchoolYear(2010)).value("objectives_by_domain", "health") is (
        NOT_APPLICABLE
    )


# --- as of, reviews --------------------------------------------------------------------


def test_events_after_the_as_of_date_are_not_yet_known():
    p = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 6, 1))
    late = followed("p-2", D(2018, 7, 1), child="enf-2")
    rep = report([p, late], as_of=D(2018, 3, 31))
    assert rep.value("exits") == 0  # the exit is not known on 31 March
    assert rep.value("children_followed") == 1
    assert rep.tally.not_yet_known == 1
    assert rep.tally.pathways == 1
    assert report([p, late], as_of=D(2018, 6, 30)).value("exits") == 1


def test_reviews_overdue_is_a_snapshot_on_the_as_of_date():
    started = D(2017, 10, 9)  # followed() starts a week after admission
    never = followed("p-1", D(2017, 10, 2))
    recent = followed("p-2", D(2017, 10, 2), child="enf-2", reviews=[D(2018, 1, 15)])
    closed = followed("p-3", D(2017, 10, 2), child="enf-3", exit_on=D(2018, 1, 10))
    on_time = report([never, recent, closed], as_of=started + dt.timedelta(days=180))
    assert (on_time.figure("reviews_overdue").numerator, on_time.tally.in_progress) == (0, 2)
    # six months after the start (review_interval_months = 6) plus a day: overdue
    late = report([never, recent, closed], as_of=D(2018, 4, 10))
    figure = late.figure("reviews_overdue")
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert report([]).value("reviews_overdue") is NOT_APPLICABLE


# --- merging, errors -------------------------------------------------------------------


def test_merge_equals_one_pass():
    pathways = [
        followed("p-1", D(2017, 10, 2), exit_on=D(2018, 1, 10)),
        followed("p-2", D(2018, 3, 1), exit_on=D(2018, 6, 1)),  # same child, referred again
        followed("p-3", D(2017, 11, 2), child="enf-3"),
        pathway("p-4", child="enf-4", refused=D(2017, 11, 1)),
    ]
    whole = report(pathways)
    merged = report(pathways[:2]).merge(report(pathways[2:3])).merge(report(pathways[3:]))
    assert merged == whole
    assert merged.figures == whole.figures
    tally = Tally(period=SY17, as_of=AS_OF).add_all(pathways[::-1])
    assert Report.from_tally(tally) == whole
    assert whole != "a report"


def test_merge_refuses_another_period_or_date():
    with pytest.raises(r.InvalidValue, match=r"Tally\.period"):
        report([]).merge(report([], SY18))
    with pytest.raises(r.InvalidValue, match=r"Tally\.as_of"):
        report([]).merge(report([], as_of=D(2020, 1, 1)))
    with pytest.raises(r.InvalidValue, match=r"Report\.merge"):
        report([]).merge("report")
    with pytest.raises(r.InvalidValue, match=r"Tally\.merge"):
        report([]).tally.merge("tally")
    with pytest.raises(r.InvalidValue, match=r"Report\.tally"):
        Report.from_tally("tally")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pathways": "p-1"}, "pathways"),
        ({"pathways": 3}, "pathways"),
        ({"pathways": [object()]}, "pathways"),
        ({"period": "2017"}, "period"),
        ({"as_of": dt.datetime(2018, 1, 1, tzinfo=dt.UTC)}, "as_of"),
        ({"as_of": "2018-01-01"}, "as_of"),
        ({"programme": "pre"}, "programme"),
    ],
)
def test_bad_arguments_are_named(kwargs, field):
    arguments = {"pathways": [], "period": SY17, "as_of": AS_OF, **kwargs}
    with pytest.raises(r.InvalidValue, match=rf"annual_report\.{field}"):
        annual_report(arguments.pop("pathways"), arguments.pop("period"), **arguments)


def test_unknown_figures_are_named():
    rep = report([])
    with pytest.raises(r.InvalidValue, match="one of children_followed"):
        rep.figure("children")
    with pytest.raises(r.InvalidValue, match="'complete', 'partial', 'none'"):
        rep.figure("exits_by_attainment", "total")
    with pytest.raises(r.InvalidValue, match="expected None"):
        rep.figure("children_by_commune", "13103")
    assert rep.value("children_by_commune") is NOT_APPLICABLE
    with_programme = report([], programme=PROGRAMME)
    assert with_programme.figure("children_by_commune", "13014").denominator == 0


def test_progress_is_reported_every_ten_thousand_pathways():
    future = pathway("p-1", referred=D(2030, 1, 1))
    seen: list[int] = []
    rep = annual_report(
        [future] * 20_001, SY17, as_of=AS_OF, progress=seen.append, check_register=False
    )
    assert seen == [10_000, 20_000]
    assert rep.tally.not_yet_known == 20_001


# --- renderings ------------------------------------------------------------------------


@pytest.fixture
def small() -> Report:
    return report(
        [
            followed("p-1", D(2017, 10, 2), exit_on=D(2018, 5, 2)),
            followed("p-2", D(2017, 11, 2), child="enf-2", commune="13014"),
        ],
        programme=PROGRAMME,
    )


def test_text_is_the_seed_box_in_french(small):
    text = small.to_text()
    assert text.startswith("PRE du Pays Salonais — en quelques chiffres\n")
    assert "Année scolaire 2017/2018 (données au 31/12/2019)" in text
    assert "dont Salon-de-Provence (13103)" in text
    assert "dont Berre-l'Étang (13014)" in text
    assert "Référents de parcours" in text
    assert "Familles refusant le dispositif                  0 %" in text
    assert str(small) == text
    short = small.to_text(detail=False)
    assert "Détail" not in short
    assert short in text


def test_records_json_and_csv_agree(small):
    records = small.to_records()
    assert all(tuple(rec) == RECORD_FIELDS for rec in records)
    document = json.loads(small.to_json())
    assert document["figures"] == records
    assert document["period"]["key"] == "2017-2018"
    assert {d["id"] for d in document["definitions"]} == set(INDICATORS)
    rows = list(csv.DictReader(io.StringIO(small.to_csv())))
    assert len(rows) == len(records)
    assert rows[0]["indicator"] == "children_followed"
    assert rows[0]["value"] == "2"


def test_not_applicable_is_distinct_everywhere():
    rep = report([])
    record = next(x for x in rep.to_records() if x["indicator"] == "exits_satisfactory_evolution")
    assert record["value"] is None
    assert record["status"] == "not_applicable"
    zero = next(x for x in rep.to_records() if x["indicator"] == "children_followed")
    assert (zero["value"], zero["status"]) == (0, "ok")
    assert "sans objet" in rep.to_text()
    assert "sans objet" in rep._repr_html_()


def test_html_escapes_and_has_one_row_per_figure(small):
    html = small._repr_html_()
    assert html.count("<tr>") == len(small.figures) + 1
    assert "Berre-l&#x27;Étang" in html


def test_dataframe_has_the_records(small):
    pd = pytest.importorskip("pandas")
    frame = small.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(RECORD_FIELDS)
    assert len(frame) == len(small.figures)


def test_dataframe_without_pandas_says_how_to_get_it(small, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingOptionalDependency, match=r"reussite\[pandas\]"):
        small.to_dataframe()


def test_repr_names_the_period(small):
    assert repr(small) == (
        "Report(period=SchoolYear(start_year=2017), as_of=datetime.date(2019, 12, 31), "
        "children_followed=2)"
    )
    with pytest.raises(TypeError):
        hash(small)


@pytest.mark.parametrize(
    ("value", "kind", "unit", "precise", "shown"),
    [
        (1234, Kind.COUNT, Unit.CHILDREN, False, "1 234"),
        (1234567, Kind.COUNT, Unit.CHILDREN, False, "1 234 567"),
        (52.5, Kind.SHARE, Unit.ACTIONS, False, "53 %"),  # half up, not to even
        (0.0, Kind.SHARE, Unit.ACTIONS, False, "0 %"),
        (0.93, Kind.SHARE, Unit.REFERRALS, True, "0,93 %"),
        (75.89, Kind.RATIO, Unit.CHILDREN_PER_FTE, False, "76"),
        (13.0, Kind.MEAN, Unit.MONTHS, False, "13 mois"),
        (7.25, Kind.MEDIAN, Unit.DAYS, True, "7,3 jours"),
        (-2.5, Kind.MEAN, Unit.DAYS, False, "-3 jours"),
        (NOT_APPLICABLE, Kind.MEAN, Unit.DAYS, False, "sans objet"),
    ],
)
def test_format_fr(value, kind, unit, precise, shown):
    assert format_fr(value, kind, unit, precise=precise) == shown


def test_periods_other_than_school_years():
    p = followed("p-1", D(2017, 10, 2))
    assert (
        report([p], DateRange(start=D(2017, 10, 2), end=D(2017, 10, 2))).value("children_followed")
        == 1
    )
    assert (
        report([p], DateRange(start=D(2017, 10, 1), end=D(2017, 10, 1))).value("children_followed")
        == 0
    )


# --- definitions a PRE can defend (issue 14) -------------------------------------------


def objectives(rep: r.indicators.Report, domain: str) -> int | None:
    """How many objectives of ``domain`` the report counts."""
    return rep.figure("objectives_by_domain", domain).numerator


def test_objectives_added_by_a_later_reassessment_wait_for_its_day():
    """Found by the nightly search (stop 28): a reassessment after the as-of date (or the
    period's end) added its objectives to the figure, as if known then."""
    p = followed("p-1", D(2017, 10, 2))
    reassessed = r.Reassessed(
        assessment=r.Assessment(on=D(2018, 10, 1)),
        decision=decision(D(2018, 10, 1)),
        objectives=(r.Objective(id="obj-2", domain=r.ObjectiveDomain.HEALTH, label="Dormir"),),
    )
    later = r.apply(p, reassessed)
    dropped = r.apply(
        later,
        r.ObjectiveUpdated(
            on=D(2018, 11, 5), objective_id="obj-2", status=r.ObjectiveStatus.DROPPED
        ),
    )
    for rep in (report([later], as_of=D(2018, 9, 30)), report([later], as_of=D(2019, 6, 30))):
        assert objectives(rep, "health") == 0  # not in 2017/18
    next_year = report([dropped], SY18, as_of=D(2018, 11, 1))  # set, not yet dropped
    assert objectives(next_year, "health") == 1
    assert objectives(report([dropped], SY18, as_of=D(2019, 6, 30)), "health") == 0


def test_objectives_are_counted_as_they_stood_at_the_period_end():
    p = followed("p-1", D(2017, 10, 2))
    late = r.ObjectiveSet(
        on=D(2018, 10, 1),
        objective=r.Objective(id="obj-2", domain=r.ObjectiveDomain.HEALTH, label="Dormir"),
    )
    dropped = r.ObjectiveUpdated(
        on=D(2018, 10, 2), objective_id="obj-1", status=r.ObjectiveStatus.DROPPED
    )
    later = r.apply(r.apply(p, late), dropped)
    at_year_end = report([p], as_of=SY17.end)
    read_later = report([later], as_of=D(2019, 6, 30))
    for rep in (at_year_end, read_later):  # the year's figure does not move
        assert objectives(rep, "school") == 1
        assert objectives(rep, "health") == 0
    assert objectives(report([later], SY18, as_of=D(2019, 6, 30)), "health") == 1


def test_exact_durations_beside_whole_months():
    a = followed("p-1", D(2016, 11, 7), exit_on=D(2017, 12, 6), child="enf-1")  # 394 days
    b = followed("p-2", D(2017, 1, 10), exit_on=D(2018, 2, 9), child="enf-2")  # 395 days
    rep = report([a, b])
    assert rep.value("finished_pathway_duration_mean") == 12  # whole months, rounded down
    assert rep.value("finished_pathway_duration_days_mean") == 394.5
    assert rep.value("finished_pathway_duration_days_median") == 394.5
    assert rep.value("finished_pathway_duration_exact_mean") == pytest.approx(394.5 / 30.4375)
    assert rep.figure("finished_pathway_duration_exact_mean").numerator == pytest.approx(
        789 / 30.4375
    )


def test_a_pathway_admitted_then_lost_before_the_start_is_not_followed():
    lost = pathway("p-1", referred=D(2017, 9, 1), consent=D(2017, 9, 20), admitted=D(2017, 10, 2))
    lost = r.apply(lost, r.ContactLost(on=D(2017, 11, 2)))
    assert lost.not_taken_on is not None
    assert not lost.started
    rep = report([lost, followed("p-2", D(2017, 10, 2), child="enf-2")])
    assert rep.value("children_followed") == 1
    assert rep.value("entries") == 2  # admitted all the same
    assert rep.value("exits") == 0
    # read before the loss, it was open: followed then
    assert report([lost], as_of=D(2017, 10, 20)).value("children_followed") == 1


def test_refusals_per_referral_and_per_family():
    refused = pathway("p-1", refused=D(2017, 10, 10))
    same_family = pathway("p-2", child="enf-2", refused=D(2017, 10, 10))
    agreed = followed("p-3", D(2017, 11, 2), child="enf-3")
    rep = report([refused, same_family, agreed])
    assert rep.figure("family_refusal_rate").numerator == 2
    assert rep.figure("family_refusal_rate").denominator == 3
    families = rep.figure("family_refusal_rate_families")
    assert (families.numerator, families.denominator) == (1, 1)  # one family, it refused


def test_referral_sources_as_shares_of_children_followed_and_of_referrals():
    caf = r.ReferralSource.CAF
    rep = report(
        [
            followed("p-1", D(2017, 10, 2)),
            pathway("p-2", child="enf-2", source=caf, refused=D(2017, 10, 10)),
        ]
    )
    assert rep.figure("referral_sources", "caf").numerator == 0  # not followed
    assert rep.figure("referrals_by_source", "caf").value == 50.0
    assert rep.figure("referrals_by_source", "education_nationale").denominator == 2


def test_caseload_is_time_weighted_by_dated_referents():
    programme = attrs.evolve(
        PROGRAMME,
        referents=(
            r.Referent(id="ref-a", name="A", fte=1.0),
            r.Referent(
                id="ref-b",
                name="B",
                fte=0.5,
                joined_on=D(2018, 3, 1),
                fte_changes=(r.FteChange(on=D(2018, 6, 1), fte=1.0),),
            ),
        ),
    )
    p = followed("p-1", D(2017, 10, 2), programme=programme)
    q = followed("p-2", D(2018, 1, 2), programme=programme, child="enf-2")
    q = r.apply(q, r.ReferentChanged(on=D(2018, 4, 1), referent_id="ref-b"))
    rep = report([p, q], as_of=SY17.end)
    days_p = (SY17.end - D(2017, 10, 2)).days + 1
    days_q = (SY17.end - D(2018, 1, 2)).days + 1
    a_fte = (SY17.end - SY17.start).days + 1
    b_fte = 0.5 * (D(2018, 6, 1) - D(2018, 3, 1)).days + (SY17.end - D(2018, 6, 1)).days + 1
    figure = rep.figure("caseload_per_referent_fte")
    assert figure.numerator == days_p + days_q
    assert figure.denominator == pytest.approx(a_fte + b_fte)
    assert figure.value == pytest.approx((days_p + days_q) / (a_fte + b_fte))
    # the seed's simple ratio: children over the FTE in force on the last day
    assert rep.figure("children_per_referent_fte").denominator == 2.0
    a, b = rep.caseloads()
    assert (a.referent_id, a.pathways, b.referent_id, b.pathways) == ("ref-a", 2, "ref-b", 1)
    assert b.child_days == (SY17.end - D(2018, 4, 1)).days + 1
    assert a.child_days + b.child_days == days_p + days_q
    assert a.per_fte == pytest.approx(a.child_days / a_fte)
    assert b.mean_fte == pytest.approx(b_fte / a_fte)
    text = rep.to_text()
    assert "File active par référent" in text
    assert "ref-b" in text
    assert [c["referent"] for c in json.loads(rep.to_json())["caseloads"]] == ["ref-a", "ref-b"]


def test_the_seed_ratio_reads_the_referents_dates_whether_the_programme_is_given_or_not():
    """Review of issue 14: with ``programme=`` (as the command line always passes it) the
    ratio divided by the FTE each referent declared, whatever their dates."""
    programme = attrs.evolve(
        PROGRAMME,
        referents=(
            r.Referent(
                id="ref-a", name="A", fte=1.0, fte_changes=(r.FteChange(on=D(2018, 1, 1), fte=0.5),)
            ),
            r.Referent(id="ref-b", name="B", fte=0.8, left_on=D(2018, 3, 31)),
            r.Referent(id="ref-c", name="C", fte=1.0, joined_on=D(2018, 9, 1)),  # after the year
        ),
    )
    pathways = [
        followed(f"p-{i}", D(2017, 10, 2), child=f"enf-{i}", programme=programme) for i in range(3)
    ]
    given, found = report(pathways, programme=programme), report(pathways)
    assert given.figure("children_per_referent_fte") == found.figure("children_per_referent_fte")
    assert given.figure("children_per_referent_fte").denominator == 0.5
    assert given.value("children_per_referent_fte") == pytest.approx(6.0)
    assert "Référents de parcours                            1 (0,50 ETP)" in given.to_text()
    early = report(pathways, as_of=D(2018, 2, 1), programme=programme)  # the as-of date first
    assert early.figure("children_per_referent_fte").denominator == pytest.approx(1.3)
    gone = attrs.evolve(programme, referents=programme.referents[1:2])
    moved = [attrs.evolve(p, programme=gone) for p in pathways]
    assert report(moved, programme=gone).value("children_per_referent_fte") is NOT_APPLICABLE


def test_caseload_without_referents_at_work_is_not_applicable():
    gone = r.Referent(id="ref-a", name="A", joined_on=D(2015, 1, 1), left_on=D(2016, 12, 31))
    empty = attrs.evolve(PROGRAMME, referents=(gone,))
    # admitted while she was in post, still followed after she left: no change recorded
    rep = report([followed("p-1", D(2016, 10, 3), programme=empty)])
    assert rep.value("caseload_per_referent_fte") is NOT_APPLICABLE
    assert rep.value("children_per_referent_fte") is NOT_APPLICABLE
    (only,) = rep.caseloads()
    assert only.fte_days == 0.0
    assert only.per_fte is NOT_APPLICABLE
    assert only.child_days_out_of_post == only.child_days == only.days


def test_a_referent_not_in_post_cannot_be_named():
    """Review of issue 14: the referents are date-effective in the rules, not only in the
    figures (like the territory, read on the event's date)."""
    later = r.Referent(id="ref-c", name="C", joined_on=D(2018, 1, 1), left_on=D(2018, 6, 30))
    programme = attrs.evolve(PROGRAMME, referents=(*PROGRAMME.referents, later))
    p = followed("p-1", D(2017, 10, 2), programme=programme)
    for on in (D(2017, 12, 31), D(2018, 7, 1)):
        with pytest.raises(r.EventRefused, match=r"R-REFERENT.*'ref-c' is not in post on"):
            r.apply(p, r.ReferentChanged(on=on, referent_id="ref-c"))
    assert (
        r.apply(p, r.ReferentChanged(on=D(2018, 1, 1), referent_id="ref-c")).referent_id == "ref-c"
    )
    assessed = r.apply(
        pathway(
            "p-2", child="enf-2", referred=D(2017, 9, 1), consent=D(2017, 9, 2), programme=programme
        ),
        r.Assessed(assessment=r.Assessment(on=D(2017, 9, 20))),
    )
    with pytest.raises(r.EventRefused, match=r"R-REFERENT.*in post from 2018-01-01 to 2018-06-30"):
        r.apply(assessed, r.Admitted(decision=decision(D(2017, 10, 1)), referent_id="ref-c"))


def test_children_left_with_a_referent_who_left_count_apart_from_their_caseload():
    """Review of issue 14: a departed referent's children kept adding to their per-FTE
    figure, with no FTE behind those days and no definition saying so."""
    leaving = r.Referent(id="ref-a", name="A", fte=1.0, left_on=D(2018, 2, 28))
    other = r.Referent(id="ref-b", name="B", fte=1.0)
    programme = attrs.evolve(PROGRAMME, referents=(leaving, other))
    kept = followed("p-1", D(2017, 10, 2), programme=programme)  # never handed over
    handed = r.apply(
        followed("p-2", D(2017, 10, 2), programme=programme, child="enf-2"),
        r.ReferentChanged(on=D(2018, 3, 1), referent_id="ref-b"),
    )
    rep = report([kept, handed], as_of=SY17.end)
    a, b = rep.caseloads()
    after = (SY17.end - D(2018, 2, 28)).days  # 1 March to 31 August
    assert a.child_days_out_of_post == after  # the pathway kept, after she left
    assert b.child_days_out_of_post == 0
    assert a.per_fte == pytest.approx((a.child_days - after) / a.fte_days)
    figure = rep.figure("caseload_per_referent_fte")  # the programme's: every child-day
    assert figure.numerator == a.child_days + b.child_days
    assert f"ref-a : {after} jours-enfants hors de son poste" in rep.to_text()
    assert json.loads(rep.to_json())["caseloads"][0]["child_days_out_of_post"] == after
    halves = report([kept], as_of=SY17.end).merge(report([handed], as_of=SY17.end))
    assert halves.caseloads() == rep.caseloads()


def test_reports_known_on_different_dates_do_not_merge():
    known = report([], known_on=D(2018, 9, 15))
    with pytest.raises(r.InvalidValue, match=r"Tally\.known_on"):
        known.merge(report([]))
    assert known.merge(report([], known_on=D(2018, 9, 15))).tally.known_on == D(2018, 9, 15)
    with pytest.raises(r.InvalidValue, match=r"annual_report\.known_on"):
        report([], known_on="2018-09-15")
