"""Strategies for the domain values: programme, people, referral, plan and endings."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import string
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .._sensitivity import Sensitivity
from ..codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    Attainment,
    ExitReason,
    HandoverRecipient,
    NotTakenOnReason,
    ObjectiveDomain,
    ObjectiveStatus,
    PriorityEducation,
    ReferralReason,
    ReferralSource,
    SchoolLevel,
    Sex,
    SuspensionReason,
)
from ..decision import Assessment, Reassessment, TeamDecision
from ..ending import Exit, ExitProposal, Handover, NotTakenOn
from ..errors import NotInForce
from ..people import Child, Family, Guardian, Situation
from ..plan import Action, Objective, Review
from ..programme import (
    EligibilityCriterion,
    FteChange,
    Programme,
    ProgrammeRules,
    Referent,
    SupportTeam,
    Territory,
)
from ..referral import Consent, Referral, SharingScope
from ..suspension import Suspension
from ..timeline import Timeline

T = TypeVar("T")

_EARLIEST = dt.date(2005, 1, 18)  # the PRE law: loi de programmation pour la cohésion sociale
_MIN_DAY = dt.date(2008, 1, 1)
_MAX_DAY = dt.date(2030, 12, 31)

# Names are drawn from mixed alphabets (French accents and ligatures, Arabic, Cyrillic,
# Chinese, Vietnamese, Turkish, a letter outside the BMP): exports and round trips must
# survive them. A fixed alphabet draws and shrinks far faster than every Unicode letter.
_LETTERS = (
    string.ascii_letters
    + "àâçéèêëîïôùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŸŒÆ"
    + "أبتثجحمنوي"
    + "АБДЖЯабджяйё"
    + "李王张陈刘"
    + "ạảấơưđĐ"
    + "ğışİŞ"
    + "\U00010400"
)
_names = st.text(alphabet=_LETTERS, min_size=1, max_size=20)
# Codes are built from integers rather than regular expressions: ten times faster to draw.
_ids = st.tuples(
    st.sampled_from(string.ascii_lowercase),
    st.text(alphabet=string.ascii_lowercase + string.digits + "-", max_size=11),
).map("".join)
_communes = st.integers(0, 99_999).map(lambda n: f"{n:05d}")
_qpv = st.integers(0, 999_999).map(lambda n: f"QP{n:06d}")
_uai = st.tuples(st.integers(0, 9_999), st.sampled_from(string.ascii_uppercase)).map(
    lambda n_letter: f"013{n_letter[0]:04d}{n_letter[1]}"
)
_phones = st.integers(100_000_000, 999_999_999).map(
    lambda n: "0" + " ".join([str(n)[0], *(str(n)[i : i + 2] for i in range(1, 9, 2))])
)
_notes = st.none() | _names
_fte = st.sampled_from((1.0, 0.5, 0.8)) | st.floats(0.05, 1.0)
_recipients = st.lists(st.sampled_from(("école", "CAF", "CMP")), max_size=2, unique=True)
_scopes = st.lists(
    st.builds(
        SharingScope,
        recipient=st.sampled_from(("CMP", "école", "PMI")),
        categories=st.lists(
            st.sampled_from([c for c in Sensitivity if c is not Sensitivity.CHILD_PROTECTION]),
            min_size=1,
            max_size=3,
            unique=True,
        ).map(tuple),
    ),
    max_size=2,
    unique_by=lambda s: s.recipient,
).map(tuple)
"""What a consent's scopes name, partner by partner (one in four consents has some)."""
_gap = st.integers(0, 45)  # days between two events of a pathway


@functools.cache
def _one_of(codes: type[enum.Enum]) -> st.SearchStrategy[Any]:
    """Any member of an enumeration (built once: strategies are costly to create)."""
    return st.sampled_from(list(codes))


def _require(condition: bool, message: str) -> None:
    """Refuse impossible arguments the way Hypothesis does."""
    if not condition:
        raise InvalidArgument(message)


def _check_bounds(min_value: dt.date, max_value: dt.date) -> None:
    _require(
        isinstance(min_value, dt.date) and isinstance(max_value, dt.date),
        f"min_value and max_value must be dates, got {min_value!r} and {max_value!r}",
    )
    _require(min_value <= max_value, f"min_value={min_value} is after max_value={max_value}")


def _day(on: dt.date, days: int) -> dt.date:
    return on + dt.timedelta(days=days)


# Strategies are costly to create (each is validated): the hot paths below draw from
# strategies built once, and pick from sequences by index instead of ``sampled_from``.


def _pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options`` (the first when shrinking), without building a strategy."""
    return options[draw(st.integers(0, len(options) - 1))]


def _date(draw: st.DrawFn, min_value: dt.date, max_value: dt.date) -> dt.date:
    """A date between the bounds (the earliest when shrinking)."""
    return _day(min_value, draw(st.integers(0, (max_value - min_value).days)))


def _stranger(draw: st.DrawFn, taken: Iterable[str], prefix: str) -> str:
    """An identifier with ``prefix`` that is none of ``taken``."""
    known = set(taken)
    found = prefix + draw(_ids)
    while found in known:
        found += "x"
    return found


# --- the programme ----------------------------------------------------------------------


def _code_sets(
    codes: st.SearchStrategy[str], *, min_size: int, max_size: int
) -> st.SearchStrategy[frozenset[str]]:
    """Sets of codes; drawn as lists whose duplicates merge, which shrinks without retries."""
    return st.lists(codes, min_size=min_size, max_size=max_size).map(frozenset)


def _members(count: int) -> tuple[str, ...]:
    """Distinct member ids by construction (unique lists of drawn ids shrink badly)."""
    return tuple(f"membre-{i}" for i in range(1, count + 1))


def territories() -> st.SearchStrategy[Territory]:
    """Territories (*territoire du PRE*): one to three communes and up to four QPVs."""
    return st.builds(
        Territory,
        communes=_code_sets(_communes, min_size=1, max_size=3),
        qpv_codes=_code_sets(_qpv, min_size=0, max_size=4),
    )


def programme_rules() -> st.SearchStrategy[ProgrammeRules]:
    """Rule parameters (*paramètres du programme*): national defaults first, then variants.

    Variants are those PREs really use: an age band up to 18, no priority-area
    requirement, one to three EPS members for a decision, reviews every 3 to 12 months.
    """
    return st.just(ProgrammeRules()) | st.builds(
        ProgrammeRules,
        min_age=st.sampled_from((2, 3, 6)),
        max_age=st.sampled_from((16, 11, 18)),
        require_priority_area=st.booleans(),
        min_decision_members=st.sampled_from((2, 1, 3)),
        review_interval_months=st.sampled_from((6, 3, 4, 12)),
    )


def referents() -> st.SearchStrategy[Referent]:
    """Pathway referents (*référents de parcours*) with a full-time equivalent in (0, 1]."""
    return st.builds(
        Referent,
        id=_ids,
        name=_names.map(lambda n: f"Référent {n}"),
        fte=_fte,
    )


def support_teams(*, min_size: int = 3, max_size: int = 6) -> st.SearchStrategy[SupportTeam]:
    """Support teams (*équipes pluridisciplinaires de soutien*, EPS) of distinct members.

    Args:
        min_size: fewest members (at least 3 lets every programme rule reach a quorum).
        max_size: most members.
    """
    _require(
        0 <= min_size <= max_size, f"need 0 <= min_size <= max_size, got {min_size}, {max_size}"
    )
    return st.builds(
        SupportTeam,
        id=_ids.map(lambda s: f"eps-{s}"),
        name=_names.map(lambda n: f"EPS {n}"),
        members=st.integers(min_size, max_size).map(_members),
    )


@st.composite
def programmes(
    draw: st.DrawFn,
    *,
    min_referents: int = 1,
    max_referents: int = 4,
    since: dt.date = dt.date(2007, 1, 1),
) -> Programme:
    """Programmes (*PRE*) with a territory, one or two EPS, referents and rules.

    A quarter of them change over time as real ones do: the territory grows (the Pays
    Salonais gained Berre-l'Étang in June 2016) or the rule parameters change. A quarter
    of the referents but the first are dated (joined, left, FTE changed); the first is in
    post throughout.

    Args:
        draw: supplied by Hypothesis.
        min_referents: fewest referents (at least one: nobody is admitted without one).
        max_referents: most referents.
        since: the date the programme's territory and rules first apply.
    """
    _require(
        1 <= min_referents <= max_referents,
        f"need 1 <= min_referents <= max_referents, got {min_referents}, {max_referents}",
    )
    _require(
        isinstance(since, dt.date) and since >= _EARLIEST,
        f"since must be a date from {_EARLIEST} (the PRE law), got {since!r}",
    )
    territory = draw(_TERRITORIES)
    periods = [(since, territory)]
    if draw(st.integers(0, 3)) == 3:
        grown = Territory(
            communes=territory.communes | draw(_code_sets(_communes, min_size=1, max_size=2)),
            qpv_codes=territory.qpv_codes | draw(_code_sets(_qpv, min_size=0, max_size=2)),
        )
        periods.append((_day(since, draw(st.integers(1, 3650))), grown))
    rules = [(since, draw(_PROGRAMME_RULES))]
    if draw(st.integers(0, 3)) == 3:
        rules.append((_day(since, draw(st.integers(1, 3650))), draw(_PROGRAMME_RULES)))
    teams = draw(_TEAMS)
    count = draw(st.integers(min_referents, max_referents))
    return Programme(
        id="pre-" + draw(_ids),
        name=f"PRE {draw(_names)}",
        territory=Timeline(tuple(periods), "territory"),
        support_teams=tuple(attrs.evolve(t, id=f"eps-{i}") for i, t in enumerate(teams, 1)),
        referents=tuple(_referent(draw, i, since) for i in range(1, count + 1)),
        rules=Timeline(tuple(rules), "programme rules"),
    )


def _referent(draw: st.DrawFn, i: int, since: dt.date) -> Referent:
    """A referent, one time in four dated: joined, maybe left, maybe a change of FTE.

    The first is never dated: someone is in post every day a pathway may be admitted.
    """
    name, fte = f"Référent {i}", draw(_fte)
    if i == 1 or draw(st.integers(0, 3)) < 3:
        return Referent(id=f"ref-{i}", name=name, fte=fte)
    joined = _day(since, draw(st.integers(0, 3000)))
    left = draw(st.none() | st.integers(30, 3000).map(lambda days: _day(joined, days)))
    changes: tuple[FteChange, ...] = ()
    if draw(st.booleans()):
        changes = (FteChange(on=_day(joined, draw(st.integers(1, 29))), fte=draw(_fte)),)
    return Referent(
        id=f"ref-{i}", name=name, fte=fte, joined_on=joined, left_on=left, fte_changes=changes
    )


# --- people and the referral ---------------------------------------------------------------


def guardians(*, id: st.SearchStrategy[str] = _ids) -> st.SearchStrategy[Guardian]:
    """Legal guardians (*responsables légaux*) with non-ASCII names."""
    return st.builds(
        Guardian,
        id=id,
        first_name=_names,
        last_name=_names,
        relationship=st.sampled_from(("mère", "père", "tutrice", "grand-parent")),
        phone=st.none() | _phones,
        email=st.none(),
    )


@st.composite
def families(draw: st.DrawFn, *, id: str | None = None) -> Family:
    """Families (*familles*) with one or two guardians, ``g-1`` and ``g-2``."""
    count = draw(st.integers(1, 2))
    return Family(
        id=id or draw(_ids),
        guardians=tuple(draw(_GUARDIANS[i]) for i in range(1, count + 1)),
    )


def _in_force(programme: Programme, on: dt.date) -> tuple[Territory, ProgrammeRules]:
    try:
        return programme.territory.at(on), programme.rules.at(on)
    except NotInForce as error:
        raise InvalidArgument(f"programme {programme.id!r}: {error}") from error


@st.composite
def children(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    on: dt.date | None = None,
    family_id: str | None = None,
    eligible: bool | None = None,
    min_value: dt.date = _MIN_DAY,
    max_value: dt.date = _MAX_DAY,
) -> Child:
    """Children (*enfants*); with a ``programme``, eligible or not by construction.

    Args:
        draw: supplied by Hypothesis.
        programme: judge eligibility with its territory and rules in force on ``on``;
            without one, the national age band (2 to 16) and a drawn commune and QPV.
        on: the referral date the child's age is judged on (drawn between the bounds).
        family_id: the family the child belongs to.
        eligible: force eligible (``True``) or not (``False``, breaking one criterion:
            age, territory or priority area); ``None`` lets it vary (10 % are not).
        min_value: earliest ``on`` when it is drawn.
        max_value: latest ``on`` when it is drawn.
    """
    _check_bounds(min_value, max_value)
    on = on or _date(draw, min_value, max_value)
    if eligible is None:
        eligible = draw(st.integers(0, 9)) > 0
    if programme is None:
        territory = Territory(communes=frozenset({draw(_communes)}), qpv_codes=frozenset())
        rules = ProgrammeRules(require_priority_area=False)
    else:
        territory, rules = _in_force(programme, on)
    broken: EligibilityCriterion | None = None
    if not eligible:
        options = [EligibilityCriterion.TERRITORY, EligibilityCriterion.AGE]
        if rules.require_priority_area:
            options.append(EligibilityCriterion.PRIORITY_AREA)
        broken = _pick(draw, options)
    if broken is EligibilityCriterion.AGE:
        too_old = [rules.max_age + 1, 17] if rules.max_age < 17 else [rules.max_age + 1]
        age = _pick(draw, [*range(rules.min_age), *too_old])
    else:
        age = draw(st.integers(rules.min_age, rules.max_age))
    if broken is EligibilityCriterion.TERRITORY:
        commune = draw(_communes)
        while commune in territory.communes:  # the next code outside the territory
            commune = f"{(int(commune) + 1) % 100_000:05d}"
    else:
        commune = _pick(draw, sorted(territory.communes))
    priority = draw(_one_of(PriorityEducation))
    qpv = draw(st.none() | _qpv)
    if broken is EligibilityCriterion.PRIORITY_AREA:
        priority = PriorityEducation.NONE
        qpv = qpv if qpv not in territory.qpv_codes else None
    elif rules.require_priority_area and territory.qpv_codes and draw(st.booleans()):
        qpv = _pick(draw, sorted(territory.qpv_codes))
    elif rules.require_priority_area and priority is PriorityEducation.NONE:
        priority = _pick(draw, [PriorityEducation.REP, PriorityEducation.REP_PLUS])
    # Born between age+1 years and age years before ``on``: exactly ``age`` on that date.
    latest = on - relativedelta(years=age)
    earliest = on - relativedelta(years=age + 1) + dt.timedelta(days=1)
    return Child(
        id="enf-" + draw(_ids),
        first_name=draw(_names),
        last_name=draw(_names),
        birth_date=_date(draw, earliest, latest),
        sex=draw(_one_of(Sex)),
        school_level=draw(_one_of(SchoolLevel)),
        priority_education=priority,
        commune=commune,
        qpv=qpv,
        school_uai=draw(st.none() | _uai),
        family_id=family_id or draw(_ids),
    )


def referrals(
    *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> st.SearchStrategy[Referral]:
    """Referrals (*fiches d'orientation*) dated between the bounds."""
    _check_bounds(min_value, max_value)
    return st.builds(
        Referral,
        on=st.dates(min_value, max_value),
        source=_one_of(ReferralSource),
        reasons=st.lists(_one_of(ReferralReason), min_size=1, max_size=3, unique=True).map(tuple),
        referrer=_names,
        notes=_notes,
    )


@st.composite
def consents(
    draw: st.DrawFn,
    *,
    guardian_ids: tuple[str, ...] = ("g-1", "g-2"),
    min_value: dt.date = _MIN_DAY,
    max_value: dt.date = _MAX_DAY,
) -> Consent:
    """Family consents (*accords écrits*) signed by some of ``guardian_ids``.

    One in four is limited in time (``valid_until``), never before its signature; one in
    four names partner scopes (:class:`~reussite.referral.SharingScope`).
    """
    _check_bounds(min_value, max_value)
    _require(bool(guardian_ids), "guardian_ids must name at least one guardian")
    on = draw(st.dates(min_value, max_value))
    signed = draw(st.lists(st.sampled_from(guardian_ids), min_size=1, unique=True))
    limited = draw(st.integers(0, 3)) == 3
    return Consent(
        id="acc-" + draw(_ids),
        on=on,
        given_by=tuple(signed),
        recipients=tuple(draw(_recipients)),
        valid_until=_day(on, draw(st.integers(0, 730))) if limited else None,
        scopes=draw(_scopes) if draw(st.integers(0, 3)) == 3 else (),
    )


# --- decisions and the plan -------------------------------------------------------------


def assessments(
    *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> st.SearchStrategy[Assessment]:
    """Initial assessments (*diagnostics*) naming the domains where support is needed."""
    _check_bounds(min_value, max_value)
    return st.builds(
        Assessment,
        on=st.dates(min_value, max_value),
        needs=_needs,
        summary=_notes,
    )


_needs = st.lists(_one_of(ObjectiveDomain), max_size=3, unique=True).map(tuple)


def _deciding_teams(programme: Programme, on: dt.date) -> list[SupportTeam]:
    """The EPS that can reach the quorum in force on ``on``."""
    quorum = programme.rules.at(on).min_decision_members
    return [t for t in programme.support_teams if not t.members or len(t.members) >= quorum]


@st.composite
def team_decisions(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    min_value: dt.date = _MIN_DAY,
    max_value: dt.date = _MAX_DAY,
) -> TeamDecision:
    """EPS decisions (*décisions de l'EPS*); with a ``programme``, by one of its EPS.

    A decision for a programme is taken by an EPS of it, by members of that team, with
    the quorum in force on its date (rule ``R-EPS-DECISION``).
    """
    _check_bounds(min_value, max_value)
    on = draw(st.dates(min_value, max_value))
    if programme is None:
        team_id = "eps-" + draw(_ids)
        members = _members(draw(st.integers(2, 5)))
    else:
        _in_force(programme, on)
        teams = _deciding_teams(programme, on)
        _require(bool(teams), f"no EPS of {programme.id!r} can reach the quorum on {on}")
        team = draw(st.sampled_from(teams))
        quorum = programme.rules.at(on).min_decision_members
        pool = team.members or tuple(f"m{i}" for i in range(1, quorum + 3))
        members = tuple(draw(st.lists(st.sampled_from(pool), min_size=quorum, unique=True)))
        team_id = team.id
    return TeamDecision(
        team_id=team_id,
        on=on,
        members_present=members,
        justification=draw(_notes),
        derogation=draw(_notes),
    )


def objectives(*, id: st.SearchStrategy[str] = _ids) -> st.SearchStrategy[Objective]:
    """Objectives (*objectifs*) in every domain and status."""
    return st.builds(
        Objective,
        id=id,
        domain=_one_of(ObjectiveDomain),
        label=_names,
        status=_one_of(ObjectiveStatus),
    )


@st.composite
def actions(
    draw: st.DrawFn,
    *,
    objective_ids: tuple[str, ...] = ("obj-1",),
    start: dt.date | None = None,
    id: str | None = None,
    min_value: dt.date = _MIN_DAY,
    max_value: dt.date = _MAX_DAY,
) -> Action:
    """Actions (*actions*) serving some of ``objective_ids``, with amounts in cents.

    Args:
        draw: supplied by Hypothesis.
        objective_ids: the objectives an action may serve (at least one).
        start: the start date (drawn between the bounds when ``None``).
        id: the action's id (drawn when ``None``).
        min_value: earliest drawn start.
        max_value: latest drawn start.
    """
    _check_bounds(min_value, max_value)
    _require(bool(objective_ids), "objective_ids must name at least one objective")
    return _action_of(
        draw,
        objective_ids=objective_ids,
        start=start or _date(draw, min_value, max_value),
        id=id or draw(_ids),
    )


_costs = st.sampled_from((0, 0, 1, 4_500, 12_000)) | st.integers(0, 10**12)


def _action_of(draw: st.DrawFn, *, objective_ids: Sequence[str], start: dt.date, id: str) -> Action:
    cost = draw(_costs)
    served = {_pick(draw, objective_ids) for _ in range(draw(st.integers(1, 2)))}
    return Action(
        id=id,
        label=draw(_names),
        objective_ids=tuple(sorted(served)),
        funding=draw(_one_of(ActionFunding)),
        kind=draw(_one_of(ActionKind)),
        timing=draw(_one_of(ActionTiming)),
        start=start,
        end=None,
        cost_cents=cost,
        family_share_cents=draw(st.integers(0, cost)),
        provider=draw(_notes),
    )


@st.composite
def reassessments(
    draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> Reassessment:
    """New assessments during a pathway (*nouveaux diagnostics*), validated by an EPS.

    The decision is dated on or after the assessment (rule ``R-EPS-DECISION``).
    """
    _check_bounds(min_value, max_value)
    assessment = draw(assessments(min_value=min_value, max_value=max_value))
    decision = draw(team_decisions(min_value=assessment.on, max_value=max_value))
    return Reassessment(assessment=assessment, decision=decision)


@st.composite
def situations(
    draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> Situation:
    """A child's situations (*situation de l'enfant*): residence and schooling from a date."""
    _check_bounds(min_value, max_value)
    return Situation(
        on=_date(draw, min_value, max_value),
        commune=draw(_communes),
        qpv=draw(st.none() | _qpv),
        school_level=draw(_one_of(SchoolLevel)),
        priority_education=draw(_one_of(PriorityEducation)),
        school_uai=draw(st.none() | _uai),
    )


@st.composite
def suspensions(
    draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> Suspension:
    """Pauses of a pathway (*suspensions*), running or ended, never ending before they start."""
    _check_bounds(min_value, max_value)
    on = _date(draw, min_value, max_value)
    ended = draw(st.none() | st.integers(0, 120).map(lambda days: _day(on, days)))
    return Suspension(
        on=on,
        reason=draw(_one_of(SuspensionReason)),
        until=draw(st.none() | st.integers(0, 120).map(lambda days: _day(on, days))),
        note=draw(_notes),
        ended_on=ended,
    )


def reviews(
    *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> st.SearchStrategy[Review]:
    """Reviews (*bilans, points d'étape*) with their participants."""
    _check_bounds(min_value, max_value)
    return st.builds(
        Review,
        on=st.dates(min_value, max_value),
        participants=_participants,
        summary=_notes,
    )


_participants = st.lists(
    st.sampled_from(("référent", "famille", "enfant", "école")), max_size=3, unique=True
).map(tuple)


# --- how pathways end --------------------------------------------------------------------


def exit_proposals(
    *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> st.SearchStrategy[ExitProposal]:
    """Exit proposals (*propositions de sortie*) with a coded reason."""
    _check_bounds(min_value, max_value)
    return st.builds(ExitProposal, on=st.dates(min_value, max_value), reason=_one_of(ExitReason))


@st.composite
def exits(draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY) -> Exit:
    """Exits (*sorties*): validated by an EPS decision of the same date, or withdrawals.

    A withdrawal of consent (*retrait de l'accord*) closes at once: no decision and no
    assessment of the child's evolution.
    """
    _check_bounds(min_value, max_value)
    on = draw(st.dates(min_value, max_value))
    attainment = draw(_one_of(Attainment))
    if draw(st.integers(0, 4)) == 4:
        return Exit(on=on, reason=ExitReason.FAMILY_WITHDRAWAL, attainment=attainment)
    return Exit(
        on=on,
        reason=draw(_one_of(ExitReason)),
        attainment=attainment,
        satisfactory_evolution=draw(st.booleans()),
        decision=draw(team_decisions(min_value=on, max_value=on)),
    )


@st.composite
def handovers(
    draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> Handover:
    """Handovers (*passages de relais*); when parents were not told, the reason why.

    Rule (CASF L.226-2-1): the reason is written whenever the parents were not informed.
    """
    _check_bounds(min_value, max_value)
    return _handover_on(draw, _date(draw, min_value, max_value))


def _handover_on(draw: st.DrawFn, on: dt.date) -> Handover:
    informed = draw(st.booleans())
    return Handover(
        on=on,
        recipient=draw(_one_of(HandoverRecipient)),
        parents_informed=informed,
        reason_not_informed=None if informed else "Information contraire à l'intérêt de l'enfant",
    )


@st.composite
def not_taken_ons(
    draw: st.DrawFn, *, min_value: dt.date = _MIN_DAY, max_value: dt.date = _MAX_DAY
) -> NotTakenOn:
    """Referrals never taken on (*non prises en charge*); a redirection has its decision."""
    _check_bounds(min_value, max_value)
    on = draw(st.dates(min_value, max_value))
    reason = draw(_one_of(NotTakenOnReason))
    decision = None
    if reason is NotTakenOnReason.EPS_REDIRECTED:
        decision = draw(team_decisions(min_value=on, max_value=on))
    return NotTakenOn(on=on, reason=reason, decision=decision, note=draw(_notes))


_TERRITORIES = territories()
_PROGRAMME_RULES = programme_rules()
_TEAMS = st.lists(support_teams(), min_size=1, max_size=2)
_GUARDIANS = {i: guardians(id=st.just(f"g-{i}")) for i in (1, 2)}
_FAMILIES = families()
_REFERRALS = referrals()
_PROGRAMMES = programmes()
