from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import D, make_child, make_programme


def test_eligibility_on_the_referral_date(programme):
    ok = r.assess_eligibility(programme, make_child(), D(2017, 10, 2))
    assert ok.eligible
    assert (D(2007, 1, 1), D(2016, 6, 1)) == (ok.rules_since, ok.territory_since)


@pytest.mark.parametrize(
    ("changes", "on", "unmet"),
    [
        ({"birth_date": D(2016, 1, 1)}, D(2017, 10, 2), ["age"]),  # 1 year old
        ({"birth_date": D(2001, 1, 1)}, D(2017, 10, 2), []),  # 16 years old: still eligible
        ({"birth_date": D(2000, 10, 2)}, D(2017, 10, 2), ["age"]),  # 17 on that very day
        ({"birth_date": D(2018, 1, 1)}, D(2017, 10, 2), ["age"]),  # not yet born
        ({"qpv": None}, D(2017, 10, 2), ["priority_area"]),
        ({"qpv": "QP075001"}, D(2017, 10, 2), ["priority_area"]),
        ({"qpv": None, "priority_education": r.PriorityEducation.REP_PLUS}, D(2017, 10, 2), []),
        ({"commune": "13014", "qpv": "QP013902"}, D(2016, 5, 31), ["territory", "priority_area"]),
        ({"commune": "13014", "qpv": "QP013902"}, D(2016, 6, 1), []),
    ],
)
def test_each_criterion(programme, changes, on, unmet):
    result = r.assess_eligibility(programme, make_child(**changes), on)
    assert unmet == [c.value for c in result.unmet]


def test_priority_area_not_required_by_local_rules(programme):
    import attrs

    relaxed = attrs.evolve(
        programme,
        rules=r.Timeline.of(
            (D(2007, 1, 1), r.ProgrammeRules()),
            (D(2018, 1, 1), r.ProgrammeRules(require_priority_area=False, max_age=18)),
        ),
    )
    child = make_child(qpv=None, birth_date=D(2000, 5, 1))
    assert not r.assess_eligibility(relaxed, child, D(2017, 12, 31)).eligible
    assert r.assess_eligibility(relaxed, child, D(2018, 1, 2)).eligible


def test_lookups_and_fte(programme):
    assert programme.support_team("eps-berre").name == "EPS Berre"
    assert programme.support_team("x") is None
    assert programme.referent("x") is None
    assert pytest.approx(programme.referent_fte) == 1.8


def test_programme_needs_a_team_and_unique_ids():
    territory = r.Timeline.of((D(2007, 1, 1), r.Territory(communes=frozenset({"13103"}))))
    with pytest.raises(r.InvalidValue, match="a tuple of at least 1"):
        r.Programme(id="p", name="P", territory=territory, support_teams=())
    team = r.SupportTeam(id="eps", name="EPS")
    with pytest.raises(r.InvalidValue, match="distinct support team ids"):
        r.Programme(id="p", name="P", territory=territory, support_teams=(team, team))


# --- referents over time ---------------------------------------------------------------

_DATES = st.dates(dt.date(2015, 1, 1), dt.date(2019, 12, 31))


@st.composite
def dated_referents(draw: st.DrawFn) -> r.Referent:
    joined = draw(st.none() | _DATES)
    left = draw(st.none() | _DATES.filter(lambda d: joined is None or d >= joined))
    lo = joined + dt.timedelta(days=1) if joined is not None else dt.date(2015, 1, 1)
    hi = left if left is not None else dt.date(2019, 12, 31)
    days = draw(st.lists(st.dates(lo, hi), unique=True, max_size=3)) if lo <= hi else []
    fte = st.sampled_from((0.2, 0.5, 0.8, 1.0))
    changes = tuple(r.FteChange(on=d, fte=draw(fte)) for d in sorted(days))
    return r.Referent(
        id="ref-1", name="R", fte=draw(fte), joined_on=joined, left_on=left, fte_changes=changes
    )


@given(dated_referents(), _DATES, st.integers(0, 400))
def test_fte_days_sum_the_fte_of_each_day(referent, start, length):
    end = start + dt.timedelta(days=length)
    by_day = sum(referent.fte_on(start + dt.timedelta(days=i)) for i in range(length + 1))
    assert referent.fte_days(start, end) == pytest.approx(by_day)
    assert referent.fte_days(end + dt.timedelta(days=1), end) == 0.0


def test_an_undated_referent_works_every_day_at_their_fte():
    referent = r.Referent(id="ref-1", name="R", fte=0.8)
    assert referent.fte_on(dt.date(1990, 1, 1)) == 0.8
    assert referent.fte_days(dt.date(2017, 9, 1), dt.date(2018, 8, 31)) == pytest.approx(292.0)
    programme = make_programme()
    assert programme.referent_fte_on(dt.date(2018, 1, 1)) == programme.referent_fte
    assert programme.referent_fte_days(dt.date(2018, 1, 1), dt.date(2018, 1, 10)) == 18.0


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"joined_on": dt.date(2018, 1, 1), "left_on": dt.date(2017, 1, 1)}, "left_on"),
        (
            {"fte_changes": (r.FteChange(on=dt.date(2018, 1, 1), fte=1.0),) * 2},
            "increasing date order",
        ),
        (
            {
                "joined_on": dt.date(2018, 1, 1),
                "fte_changes": (r.FteChange(on=dt.date(2018, 1, 1), fte=1.0),),
            },
            "after joined_on",
        ),
        (
            {
                "left_on": dt.date(2018, 1, 1),
                "fte_changes": (r.FteChange(on=dt.date(2018, 2, 1), fte=1.0),),
            },
            "before left_on",
        ),
    ],
)
def test_dated_referents_are_checked(changes, match):
    with pytest.raises(r.InvalidValue, match=match):
        r.Referent(id="ref-1", name="R", **changes)
    with pytest.raises(r.InvalidValue):
        r.FteChange(on=dt.date(2018, 1, 1), fte=1.5)
