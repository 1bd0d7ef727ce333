from __future__ import annotations

import reussite as r
from reussite.register import RULE_CODES
from reussite.rules import CHECKS, CHRONOLOGY, REQUIREMENTS


def test_every_event_type_has_its_checks_declared():
    assert set(r.EVENT_TYPES.values()) == set(CHECKS)


def test_state_requirements_are_declared_for_states_only():
    assert set(REQUIREMENTS) <= set(r.State)
    assert {rule.code for rule, _ in REQUIREMENTS[r.State.ACTIVE]} == {
        "R-CONSENT-FIRST",
        "R-ACTIVE-PLAN",
    }


def test_rule_codes_are_stable_and_all_used():
    used = {rule.code for checks in CHECKS.values() for rule, _ in checks}
    used |= {rule.code for checks in REQUIREMENTS.values() for rule, _ in checks}
    used |= {CHRONOLOGY[0].code, "R-TRANSITION", "R-FINAL", "R-PROGRAMME-IN-FORCE"}
    used |= set(RULE_CODES)  # checked between pathways, by the register
    assert set(r.RULES) == used
    for rule in r.RULES.values():
        assert rule.code.startswith("R-")
        assert rule.en
        assert rule.fr
