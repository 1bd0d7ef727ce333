from __future__ import annotations

import pytest

import reussite as r
from conftest import D, make_child


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
