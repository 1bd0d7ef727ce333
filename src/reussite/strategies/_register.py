"""Cohorts that break a rule between pathways (:mod:`reussite.register`)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from hypothesis import strategies as st

from ..events import Referred
from ..lifecycle import open_pathway
from ..pathway import Pathway
from ..programme import Programme
from ..register import RULE_CODES
from ._values import _MAX_DAY, _PROGRAMMES, _REFERRALS, _date, _day, _pick, _require, children
from ._walks import _walk, cohorts

__all__ = ["invalid_cohorts"]


def invalid_cohorts(
    *, programme: Programme | None = None, rules: Iterable[str] | None = None
) -> st.SearchStrategy[tuple[list[Pathway], str]]:
    """Cohorts whose last pathway breaks a rule between pathways: ``(pathways, rule)``.

    Every pathway is valid on its own; the register (:func:`~reussite.check_register`,
    :func:`~reussite.serialization.load_cohort`, :func:`~reussite.annual_report`, the
    export) accepts all but the last, which breaks one rule (*incohérence entre
    parcours*): the same pathway twice (``R-UNIQUE-PATHWAY``), a child id with another
    birth date (``R-ONE-CHILD``), a second pathway of a child while the first is open
    (``R-ONE-OPEN-PATHWAY``), or a re-entry naming another child's pathway
    (``R-REENTRY``).

    Args:
        programme: the PRE every pathway belongs to (drawn when ``None``).
        rules: the rule codes to break (by default all of
            :data:`reussite.register.RULE_CODES`).

    Raises:
        InvalidArgument: for a code that is not a rule between pathways.
    """
    codes = RULE_CODES if rules is None else tuple(rules)
    _require(bool(codes), "rules must name at least one rule code")
    other = [c for c in codes if c not in RULE_CODES]
    _require(not other, f"{', '.join(other)}: not a rule between pathways ({RULE_CODES})")

    @st.composite
    def strategy(draw: st.DrawFn) -> tuple[list[Pathway], str]:
        chosen = programme or draw(_PROGRAMMES)
        cohort = draw(cohorts(programme=chosen, min_size=1, max_size=5, max_events=8))
        code = _pick(draw, codes)
        earlier = _pick(draw, cohort)
        if code == "R-UNIQUE-PATHWAY":
            return [*cohort, earlier], code
        n = len(cohort) + 1
        child = earlier.child
        family = earlier.family
        previous: str | None = None
        if code == "R-ONE-CHILD":  # the same id for a child born on another day
            on = _date(draw, earlier.referral.on, max(earlier.referral.on, _MAX_DAY))
            days = draw(st.sampled_from((1, 2, 365)))
            child = attrs.evolve(child, birth_date=_day(child.birth_date, -days))
        elif code == "R-ONE-OPEN-PATHWAY":  # referred again while the first is open
            on = _date(
                draw, earlier.referral.on, earlier.ended_on or max(earlier.referral.on, _MAX_DAY)
            )
        else:  # R-REENTRY: a new child names another child's pathway as their earlier one
            on = _date(draw, earlier.referral.on, max(earlier.referral.on, _MAX_DAY))
            drawn = draw(children(programme=chosen, on=on, family_id=family.id))
            child = attrs.evolve(drawn, id=f"enf-{n}")
            previous = earlier.id
        first = Referred(
            pathway_id=f"p-{n}",
            child=child,
            family=family,
            referral=attrs.evolve(draw(_REFERRALS), on=on),
            previous_pathway_id=previous,
        )
        last = _walk(draw, open_pathway(chosen, first), state=None, max_events=6)
        return [*cohort, last], code

    return strategy()
