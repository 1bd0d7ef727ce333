"""Build the synthetic Pays Salonais cohort, 2015-2018, and write it as a cohort file.

    python examples/make_pays_salonais.py            # rewrites the bundled data file
    python examples/make_pays_salonais.py --check    # rebuilds and compares, writes nothing

A seeded, deterministic generator. It plans plausible pathways (invented names; the real
communes, Salon-de-Provence 13103 and Berre-l'Étang 13014; QPV codes that are
ILLUSTRATIVE, not the official ones, for les Canourgues, la Monaque, les Bressons and
Berre's priority neighbourhood) and then drives every pathway through the PUBLIC
lifecycle API, event by event (``open_pathway`` then ``apply``): no state, record or
figure is ever written directly. The indicators are then computed from the file by
``reussite.indicators.annual_report``, like for any other data.

The plan is calibrated on the seed's 2017/2018 box (DOMAIN.md §5): how many children in
each flow, who refers them, how their objectives end. Those are the synthetic data's
parameters; every published figure is measured from the events.

- 83 children whose pathways end between January and August 2017 (followed in 2017
  only); two of them come back in the autumn of 2017 (a new pathway linked to the old).
- 100 children admitted before September 2017 and still followed in 2017/2018: 83 exit
  in the school year, 2 are handed over to child protection, 15 go on after August.
- 33 pathways admitted from September to December 2017 (2 end early: the family moves).
- 59 children admitted from January to August 2018.
- referrals that never become a pathway (one family refusal, redirections, ...), and
  referrals of summer 2018 still waiting for the EPS on 31 August.

The data are extracted on 30 September 2018: later events do not exist yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import attrs
from dateutil.relativedelta import relativedelta

import reussite as r
from reussite.periods import SchoolYear

D = dt.date
SEED = 20180630
EXTRACTED_ON = D(2018, 9, 30)
SCHOOL_YEAR = (D(2017, 9, 1), D(2018, 8, 31))
HERE = pathlib.Path(__file__).resolve().parent
FILE_NAME = "pays-salonais-2017-2018.jsonl"
OUTPUTS = (HERE.parent / "src" / "reussite" / "data" / FILE_NAME,)

# Illustrative QPV codes (format QP013xxx): the official codes were not confirmed.
CANOURGUES, MONAQUE, BRESSONS, BERRE_QPV = "QP013951", "QP013952", "QP013953", "QP013954"
SALON, BERRE = "13103", "13014"
QPV_NAMES = {
    CANOURGUES: "les Canourgues (Salon-de-Provence), code illustratif",
    MONAQUE: "la Monaque (Salon-de-Provence), code illustratif",
    BRESSONS: "les Bressons (Salon-de-Provence), code illustratif",
    BERRE_QPV: "quartier prioritaire de Berre-l'Étang, code illustratif",
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES_F = _words(
    "Inès Lina Jade Sarah Maëlys Chaïma Léa Yasmine Emma Nour Lucie Aya Manon Imane Louna "
    "Camille Zoé Sofia Maya Rania Eva Nina Assia Lou Kenza Clara Amel Jeanne Lila Maryam"
)
FIRST_NAMES_M = _words(
    "Yanis Adam Rayan Enzo Nolan Ilyes Lucas Mohamed Noah Théo Kylian Sami Hugo Bilal "
    "Ethan Mathis Idriss Tom Anis Nathan Walid Jules Amine Louis Ryan Gabin Mehdi Axel "
    "Younes Liam"
)
LAST_NAMES = _words(
    "Martin Benali Garcia Rossi Bernard Haddad Lopez Moreau Diallo Fabre Mercier Bouzid "
    "Girard Ferrandi Mansouri Blanc Roux Chérif Barbier Santoni Lambert Traoré Perrin "
    "Amrani Fournier Mendes Giraud Kaci Rey Nguyen Faure Belkacem Aubert Vidal Ouali"
)
GUARDIAN_NAMES = _words(
    "Nadia Karim Sandrine Farid Aurélie Samir Céline Mourad Nathalie Rachid Sonia Hakim "
    "Émilie Kamel Laetitia Djamel Virginie Mustapha Houria Stéphane"
)


def programme() -> r.Programme:
    """The PRE du Pays Salonais: Salon-de-Provence, then Berre-l'Étang from June 2016."""
    salon_qpv = frozenset({CANOURGUES, MONAQUE, BRESSONS})
    return r.Programme(
        id="pre-pays-salonais",
        name="PRE du Pays Salonais",
        territory=r.Timeline.of(
            (D(2007, 1, 1), r.Territory(communes=frozenset({SALON}), qpv_codes=salon_qpv)),
            (
                D(2016, 6, 1),
                r.Territory(communes=frozenset({SALON, BERRE}), qpv_codes=salon_qpv | {BERRE_QPV}),
            ),
            name="territory",
        ),
        support_teams=(
            r.SupportTeam(
                id="eps-salon",
                name="EPS de Salon-de-Provence",
                members=("coordinatrice", "ien-salon", "mds-salon", "caf", "ville-salon"),
            ),
            r.SupportTeam(
                id="eps-berre",
                name="EPS de Berre-l'Étang",
                members=("coordinatrice", "ien-berre", "mds-berre", "ccas-berre"),
            ),
        ),
        # Three referents; 2.53 FTE in all (one full time, one at 80 %, one at 73 %).
        referents=(
            r.Referent(id="ref-camille", name="Camille Arnaud", fte=1.0),
            r.Referent(id="ref-samia", name="Samia Boudjema", fte=0.8),
            r.Referent(id="ref-julien", name="Julien Ferrer", fte=0.73),
        ),
    )


# --- the plan ---------------------------------------------------------------------------


@dataclass
class ActionPlan:
    start: dt.date
    end: dt.date | None
    individual: bool
    funding: r.ActionFunding | None = None  # decided once every action is planned


@dataclass
class Plan:
    """One pathway to drive: who, when, and how it ends (``None``: still open)."""

    pid: str
    child: r.Child
    family: r.Family
    source: r.ReferralSource
    referral_on: dt.date
    previous: str | None = None
    outcome: str = "followed"  # or a not-taken-on kind, or "pending"
    admitted_on: dt.date | None = None
    end_on: dt.date | None = None
    end_kind: str | None = None  # exit, withdrawal, lost_contact, moved, handover
    attainment: r.Attainment | None = None
    satisfactory: bool | None = None
    actions: list[ActionPlan] = field(default_factory=list)
    domains: tuple[r.ObjectiveDomain, ...] = ()


class Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.rules = programme().rules  # the eligibility ages in force

    def day(self, low: dt.date, high: dt.date) -> dt.date:
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    def child(self, *, commune: str, referral_on: dt.date, family_id: str) -> r.Child:
        rng = self.rng
        self.count += 1
        sex = r.Sex.FEMALE if rng.random() < 0.44 else r.Sex.MALE
        names = FIRST_NAMES_F if sex is r.Sex.FEMALE else FIRST_NAMES_M
        school_year = SchoolYear.containing(referral_on).start_year
        # Offset from CP (0): PS -3 ... CM2 4, 6e 5 ... 3e 8, lycée 9; mostly primary.
        offset = rng.choices(range(-3, 10), weights=(2, 3, 4, 9, 9, 9, 9, 9, 8, 6, 4, 3, 1))[0]
        birth = self.day(D(school_year - 6 - offset, 1, 1), D(school_year - 6 - offset, 12, 31))
        youngest = self.rules.at(referral_on).min_age  # old enough on the referral date
        birth = min(birth, referral_on - relativedelta(years=youngest))
        level = LEVELS[offset]
        if commune == SALON:
            qpv = rng.choices((CANOURGUES, MONAQUE, BRESSONS, None), weights=(4, 3, 2, 1))[0]
        else:
            qpv = BERRE_QPV if rng.random() < 0.85 else None
        rep = r.PriorityEducation.NONE
        if qpv is None or rng.random() < 0.4:
            rep = r.PriorityEducation.REP_PLUS if rng.random() < 0.3 else r.PriorityEducation.REP
        return r.Child(
            id=f"enf-{self.count:04d}",
            first_name=rng.choice(names),
            last_name=rng.choice(LAST_NAMES),
            birth_date=birth,
            sex=sex,
            school_level=level,
            priority_education=rep,
            commune=commune,
            qpv=qpv,
            school_uai=f"013{rng.randint(1000, 9999)}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}",
            family_id=family_id,
        )

    def family(self, family_id: str, last_name: str) -> r.Family:
        first, *rest = self.rng.sample(GUARDIAN_NAMES, 2)
        guardians = [
            r.Guardian(id="g-1", first_name=first, last_name=last_name, relationship="mère")
        ]
        if self.rng.random() < 0.6:
            guardians.append(
                r.Guardian(id="g-2", first_name=rest[0], last_name=last_name, relationship="père")
            )
        return r.Family(id=family_id, guardians=tuple(guardians))

    def new(
        self, *, commune: str, referral_on: dt.date, source: r.ReferralSource, **kw: object
    ) -> Plan:
        family_id = f"fam-{self.count + 1:04d}"
        child = self.child(commune=commune, referral_on=referral_on, family_id=family_id)
        return Plan(
            pid=f"par-{self.count:04d}",
            child=child,
            family=self.family(family_id, child.last_name),
            source=source,
            referral_on=referral_on,
            **kw,  # type: ignore[arg-type]
        )


LEVELS = {
    -3: r.SchoolLevel.PS,
    -2: r.SchoolLevel.MS,
    -1: r.SchoolLevel.GS,
    0: r.SchoolLevel.CP,
    1: r.SchoolLevel.CE1,
    2: r.SchoolLevel.CE2,
    3: r.SchoolLevel.CM1,
    4: r.SchoolLevel.CM2,
    5: r.SchoolLevel.SIXIEME,
    6: r.SchoolLevel.CINQUIEME,
    7: r.SchoolLevel.QUATRIEME,
    8: r.SchoolLevel.TROISIEME,
    9: r.SchoolLevel.LYCEE,
}

OTHER_SOURCES = (
    [r.ReferralSource.DEPARTMENT_SOCIAL] * 14
    + [r.ReferralSource.ASSOCIATION] * 9
    + [r.ReferralSource.FAMILY] * 7
    + [r.ReferralSource.CAF] * 6
    + [r.ReferralSource.HEALTH_SERVICES] * 5
    + [r.ReferralSource.MUNICIPAL_SERVICE] * 4
    + [r.ReferralSource.PMI] * 3
)


def _sources(rng: random.Random, count: int, share_en: float) -> list[r.ReferralSource]:
    others = round(count * (1 - share_en))
    pool = (OTHER_SOURCES * (others // len(OTHER_SOURCES) + 1))[:others]
    out = [r.ReferralSource.EDUCATION_NATIONALE] * (count - others) + pool
    rng.shuffle(out)
    return out


def _quota(rng: random.Random, count: int, ones: int) -> list[bool]:
    flags = [True] * ones + [False] * (count - ones)
    rng.shuffle(flags)
    return flags


def _durations(rng: random.Random, count: int, total: int) -> list[int]:
    """``count`` durations in whole months (7 to 22) that add up to ``total``."""
    months = [rng.randint(7, 22) for _ in range(count)]
    while sum(months) != total:
        i = rng.randrange(count)
        step = 1 if sum(months) < total else -1
        if 7 <= months[i] + step <= 22:
            months[i] += step
    return months


def plan_cohort(seed: int = SEED) -> list[Plan]:
    rng = random.Random(seed)
    pl = Planner(rng)
    plans: list[Plan] = []
    sy_start, sy_end = SCHOOL_YEAR

    # 83 pathways ending in January-August 2017: followed in 2017, not in 2017/2018.
    for _ in range(83):
        end = pl.day(D(2017, 1, 9), D(2017, 8, 25))
        months = rng.randint(7, 20)
        admitted = end - relativedelta(months=months, days=rng.randint(0, 20))
        berre = admitted >= D(2016, 7, 15) and rng.random() < 0.2
        plans.append(
            pl.new(
                commune=BERRE if berre else SALON,
                referral_on=admitted - dt.timedelta(days=rng.randint(30, 60)),
                source=_sources(rng, 1, 0.75)[0],
                admitted_on=admitted,
                end_on=end,
                end_kind="exit",
                attainment=rng.choices(list(r.Attainment), weights=(5, 3, 2))[0],
                satisfactory=rng.random() < 0.85,
            )
        )

    # The 192 children of 2017/2018 (100 + 33 + 59 pathways, two of them re-entries).
    followed = 192
    sources = _sources(rng, followed, 0.75)
    berre_flags = _quota(rng, followed - 2, 40)  # the two re-entries keep Salon
    # 100 admitted before September 2017: 83 exits, 2 handovers, 15 going on.
    exits = 83
    # Attainment of the 85 exits of the year: 45 complete, 25 partial, 15 none, of which
    # the G3 moves are one partial and one none, and 2 withdrawals and 3 lost contacts none.
    kinds = ["complete"] * 45 + ["partial"] * 24 + ["none"] * 9 + ["withdrawal"] * 2 + ["lost"] * 3
    rng.shuffle(kinds)
    satisfactory_none = _quota(rng, 12, 3)  # 3 of the 12 assessed "none" exits evolved well
    durations = _durations(rng, exits, 1100)
    flag = 0
    for i in range(100):
        berre = berre_flags[flag]
        flag += 1
        if i < exits:
            months = durations[i]
            # A Berre child is referred once Berre is in the territory (June 2016).
            low = max(sy_start + relativedelta(months=-months), D(2016, 7, 26 if berre else 1))
            high = min(sy_end - relativedelta(months=months, days=40), D(2017, 8, 10))
            admitted = pl.day(low, high)
            end = admitted + relativedelta(months=months, days=rng.randint(0, 25))
            end = max(end, sy_start + dt.timedelta(days=5))
            kind = kinds[i]
            attainment = {
                "complete": r.Attainment.COMPLETE,
                "partial": r.Attainment.PARTIAL,
            }.get(kind, r.Attainment.NONE)
            satisfactory: bool | None = None  # nobody assesses it on a withdrawal
            if kind in ("complete", "partial"):
                satisfactory = True
            elif kind != "withdrawal":
                satisfactory = satisfactory_none.pop()
            extra: dict[str, object] = {
                "end_on": end,
                "end_kind": {"withdrawal": "withdrawal", "lost": "lost_contact"}.get(kind, "exit"),
                "attainment": attainment,
                "satisfactory": satisfactory,
            }
        elif i < exits + 2:
            admitted = pl.day(D(2016, 10, 1), D(2017, 6, 30))
            extra = {"end_on": pl.day(D(2018, 1, 8), D(2018, 4, 20)), "end_kind": "handover"}
        else:
            admitted = pl.day(D(2016, 11, 1), D(2017, 8, 20))
            late_exit = i < exits + 2 + 5
            extra = (
                {
                    "end_on": pl.day(D(2018, 9, 3), D(2018, 9, 28)),
                    "end_kind": "exit",
                    "attainment": r.Attainment.COMPLETE,
                    "satisfactory": True,
                }
                if late_exit
                else {}
            )
        referral = admitted - dt.timedelta(days=rng.randint(30, 55))
        plans.append(
            pl.new(
                commune=BERRE if berre else SALON,
                referral_on=referral,
                source=sources[i],
                admitted_on=admitted,
                **extra,
            )
        )
    # 33 pathways admitted September-December 2017; the first two are re-entries.
    returning = [
        p
        for p in plans[:83]
        if p.end_on is not None
        and p.end_on < D(2017, 6, 1)
        and r.age_on(p.child.birth_date, D(2017, 11, 10)) <= 15
    ][:2]
    for j in range(33):
        referral = pl.day(D(2017, 9, 1), D(2017, 11, 10))
        admitted = referral + dt.timedelta(days=rng.randint(25, 45))
        extra = {}
        if j in (5, 6):
            extra = {
                "end_on": admitted + relativedelta(months=2 + j - 5, days=rng.randint(3, 20)),
                "end_kind": "moved",
                "attainment": r.Attainment.PARTIAL if j == 5 else r.Attainment.NONE,
                "satisfactory": j == 5,
            }
        elif j % 8 == 0:
            extra = {
                "end_on": pl.day(D(2018, 9, 3), D(2018, 9, 25)),
                "end_kind": "exit",
                "attainment": r.Attainment.PARTIAL,
                "satisfactory": True,
            }
        if j < 2:
            old = returning[j]
            offset = min(2017 - old.child.birth_date.year - 6, 9)
            plans.append(
                Plan(
                    pid=f"{old.pid}-b",
                    child=attrs.evolve(old.child, school_level=LEVELS[offset]),
                    family=old.family,
                    source=sources[100 + j],
                    referral_on=referral,
                    previous=old.pid,
                    admitted_on=admitted,
                    **extra,  # type: ignore[arg-type]
                )
            )
            continue
        plans.append(
            pl.new(
                commune=BERRE if berre_flags[flag] else SALON,
                referral_on=referral,
                source=sources[100 + j],
                admitted_on=admitted,
                **extra,
            )
        )
        flag += 1
    # 59 children admitted January-August 2018.
    for j in range(59):
        admitted = pl.day(D(2018, 1, 8), D(2018, 8, 20))
        plans.append(
            pl.new(
                commune=BERRE if berre_flags[flag] else SALON,
                referral_on=admitted - dt.timedelta(days=rng.randint(25, 50)),
                source=sources[133 + j],
                admitted_on=admitted,
            )
        )
        flag += 1
    # Referrals that never became a pathway, and summer 2018 referrals still waiting.
    for kind, count in (
        ("refused", 1),
        ("redirected", 3),
        ("ineligible", 2),
        ("withdrew", 2),
        ("lost", 2),
        ("pending", 6),
    ):
        for _ in range(count):
            referral = (
                pl.day(D(2018, 6, 4), D(2018, 7, 20))
                if kind == "pending"
                else pl.day(D(2017, 9, 11), D(2018, 5, 30))
            )
            plans.append(
                pl.new(
                    commune=SALON if rng.random() < 0.8 else BERRE,
                    referral_on=referral,
                    source=_sources(rng, 1, 0.75)[0],
                    outcome=kind,
                    # the EPS meets on them after the summer
                    admitted_on=pl.day(D(2018, 9, 10), D(2018, 10, 20))
                    if kind == "pending"
                    else None,
                )
            )
    # Earlier refusals and redirections, before the school year.
    for kind in ("refused", "redirected", "lost"):
        plans.append(
            pl.new(
                commune=SALON,
                referral_on=pl.day(D(2016, 3, 1), D(2017, 5, 30)),
                source=r.ReferralSource.EDUCATION_NATIONALE,
                outcome=kind,
            )
        )
    for plan in plans:
        _plan_pathway(rng, plan)
    _fund(rng, plans)
    return plans


DOMAIN_WEIGHTS = (
    (r.ObjectiveDomain.SCHOOL, 5),
    (r.ObjectiveDomain.EDUCATIONAL_SOCIAL, 4),
    (r.ObjectiveDomain.HEALTH, 2),
    (r.ObjectiveDomain.PARENTING, 3),
    (r.ObjectiveDomain.CULTURE_SPORT, 3),
)


def _plan_pathway(rng: random.Random, plan: Plan) -> None:
    if plan.admitted_on is None:
        return
    domains = [d for d, _ in DOMAIN_WEIGHTS]
    weights = [w for _, w in DOMAIN_WEIGHTS]
    count = rng.choice((1, 2, 2, 3))
    chosen: list[r.ObjectiveDomain] = []
    while len(chosen) < count:
        d = rng.choices(domains, weights)[0]
        if d not in chosen:
            chosen.append(d)
    plan.domains = tuple(chosen)
    start = plan.admitted_on + dt.timedelta(days=rng.randint(3, 14))
    stop = plan.end_on or EXTRACTED_ON
    # The referent's individual follow-up runs the whole pathway (it ends with it).
    plan.actions.append(ActionPlan(start=start, end=None, individual=True))
    last_start = stop - dt.timedelta(days=25)  # exits are proposed 7 to 21 days before
    on = start + dt.timedelta(days=rng.randint(10, 60))
    while on <= last_start and len(plan.actions) < 4:
        end = on + dt.timedelta(days=rng.randint(60, 300))
        plan.actions.append(
            ActionPlan(
                start=on,
                end=end if end < stop - dt.timedelta(days=10) else None,
                individual=rng.random() < 0.6,
            )
        )
        on = on + dt.timedelta(days=rng.randint(60, 170))


def _overlaps_school_year(plan: Plan, action: ActionPlan) -> bool:
    end = action.end or plan.end_on or EXTRACTED_ON
    return action.start <= SCHOOL_YEAR[1] and end >= SCHOOL_YEAR[0]


def _fund(rng: random.Random, plans: list[Plan]) -> None:
    """52 % of the school year's actions are mainstream (droit commun), 48 % PRE-funded."""
    in_year = [a for p in plans for a in p.actions if _overlaps_school_year(p, a)]
    mainstream = _quota(rng, len(in_year), round(len(in_year) * 0.52))
    for action, is_mainstream in zip(in_year, mainstream, strict=True):
        action.funding = r.ActionFunding.MAINSTREAM if is_mainstream else r.ActionFunding.PRE_FUNDED
    for p in plans:
        for action in p.actions:
            if action.funding is None:
                action.funding = rng.choice(list(r.ActionFunding))


# --- driving the lifecycle --------------------------------------------------------------

TEXTS = {
    r.ObjectiveDomain.SCHOOL: ("Retrouver confiance en classe", "Aide aux devoirs"),
    r.ObjectiveDomain.EDUCATIONAL_SOCIAL: ("Apaiser les relations", "Accompagnement éducatif"),
    r.ObjectiveDomain.HEALTH: ("Réaliser le bilan orthophonique", "Séances d'orthophonie"),
    r.ObjectiveDomain.PARENTING: ("Soutenir les parents", "Groupe de parole des parents"),
    r.ObjectiveDomain.CULTURE_SPORT: ("Pratiquer une activité", "Inscription au club sportif"),
}


def _team(plan: Plan) -> r.SupportTeam:
    pre = PROGRAMME
    team = pre.support_team("eps-berre" if plan.child.commune == BERRE else "eps-salon")
    assert team is not None
    return team


def _decision(rng: random.Random, plan: Plan, on: dt.date) -> r.TeamDecision:
    team = _team(plan)
    present = ("coordinatrice", *rng.sample(team.members[1:], 2))
    return r.TeamDecision(team_id=team.id, on=on, members_present=present)


def _statuses(rng: random.Random, count: int, attainment: r.Attainment) -> list[r.ObjectiveStatus]:
    met, partly, not_met = (
        r.ObjectiveStatus.MET,
        r.ObjectiveStatus.PARTIALLY_MET,
        r.ObjectiveStatus.NOT_MET,
    )
    if attainment is r.Attainment.COMPLETE:
        return [met] * count
    if attainment is r.Attainment.NONE:
        return [not_met] * count
    statuses = [rng.choice((met, partly, not_met)) for _ in range(count)]
    statuses[0] = partly if all(s is met for s in statuses[1:]) else rng.choice((met, partly))
    return statuses


def _town(plan: Plan) -> str:
    return "Berre" if plan.child.commune == BERRE else "Salon"


def events_of(rng: random.Random, plan: Plan) -> Iterator[r.Event]:
    """The events of one planned pathway, in date order (then in lifecycle order)."""
    guardian = plan.family.guardians[0].id
    yield r.Referred(
        pathway_id=plan.pid,
        child=plan.child,
        family=plan.family,
        previous_pathway_id=plan.previous,
        referral=r.Referral(
            on=plan.referral_on,
            source=plan.source,
            reasons=tuple(
                rng.sample(
                    [
                        r.ReferralReason.LEARNING,
                        r.ReferralReason.BEHAVIOUR,
                        r.ReferralReason.HEALTH_ACCESS,
                        r.ReferralReason.LEISURE_ACCESS,
                        r.ReferralReason.PARENTING,
                        r.ReferralReason.FAMILY_CONTEXT,
                    ],
                    rng.randint(1, 2),
                )
            ),
            referrer=f"{plan.source.label_fr} ({_town(plan)})",
        ),
    )
    on = plan.referral_on
    if plan.outcome in ("refused", "ineligible", "lost"):
        later = on + dt.timedelta(days=rng.randint(10, 30))
        yield {
            "refused": r.FamilyRefused(
                on=later, note="La famille ne souhaite pas d'accompagnement"
            ),
            "ineligible": r.DeclaredIneligible(
                on=later, note="Hors critères d'âge et de territoire"
            ),
            "lost": r.ContactLost(on=later),
        }[plan.outcome]
        return
    consent_on = on + dt.timedelta(days=rng.randint(5, 21))
    yield r.ConsentGiven(
        consent=r.Consent(id="accord-1", on=consent_on, given_by=(guardian,), recipients=("école",))
    )
    if plan.outcome == "withdrew":
        yield r.ConsentWithdrawn(on=consent_on + dt.timedelta(days=rng.randint(5, 20)), by=guardian)
        return
    admitted_on = plan.admitted_on or (consent_on + dt.timedelta(days=rng.randint(30, 60)))
    assessed_on = min(
        consent_on + dt.timedelta(days=rng.randint(5, 15)), admitted_on - dt.timedelta(days=3)
    )
    assessed_on = max(assessed_on, consent_on)
    yield r.Assessed(assessment=r.Assessment(on=assessed_on, needs=plan.domains))
    if plan.outcome == "redirected":
        yield r.Redirected(
            decision=_decision(rng, plan, assessed_on + dt.timedelta(days=rng.randint(7, 21))),
            note="Orientation vers le CMPP",
        )
        return
    for i, domain in enumerate(plan.domains or (r.ObjectiveDomain.SCHOOL,), start=1):
        yield r.ObjectiveSet(
            on=assessed_on,
            objective=r.Objective(id=f"obj-{i}", domain=domain, label=TEXTS[domain][0]),
        )
    if plan.outcome == "pending" and admitted_on > EXTRACTED_ON:
        return
    referent = rng.choices(["ref-camille", "ref-samia", "ref-julien"], weights=(100, 80, 73))[0]
    yield r.Admitted(decision=_decision(rng, plan, admitted_on), referent_id=referent)
    started_on = (
        plan.actions[0].start - dt.timedelta(days=rng.randint(0, 3))
        if plan.actions
        else admitted_on + dt.timedelta(days=7)
    )
    started_on = max(started_on, admitted_on)
    yield r.Started(on=started_on)
    yield from _active(rng, plan, started_on, guardian)


def _active(
    rng: random.Random, plan: Plan, started_on: dt.date, guardian: str
) -> Iterator[r.Event]:
    stop = plan.end_on or EXTRACTED_ON
    timeline: list[tuple[dt.date, int, r.Event]] = []
    domains = plan.domains or (r.ObjectiveDomain.SCHOOL,)
    for i, a in enumerate(plan.actions, start=1):
        domain = domains[(i - 1) % len(domains)]
        assert a.funding is not None
        action = r.Action(
            id=f"act-{i}",
            label=TEXTS[domain][1] if a.individual else "À plus dans le bus (atelier collectif)",
            objective_ids=(f"obj-{domains.index(domain) + 1}",),
            funding=a.funding,
            kind=r.ActionKind.INDIVIDUAL if a.individual else r.ActionKind.COLLECTIVE,
            timing=r.ActionTiming.OUT_OF_SCHOOL_TIME,
            start=a.start,
            cost_cents=0
            if a.funding is r.ActionFunding.MAINSTREAM
            else rng.choice((0, 9_000, 24_000)),
        )
        planned_on = max(started_on, a.start - dt.timedelta(days=rng.randint(0, 10)))
        timeline.append((planned_on, 0, r.ActionPlanned(on=planned_on, action=action)))
        if a.end is not None:
            timeline.append((a.end, 1, r.ActionEnded(on=a.end, action_id=action.id)))
    review = started_on + relativedelta(months=rng.randint(3, 5))
    while review < stop - dt.timedelta(days=15):
        timeline.append(
            (
                review,
                2,
                r.Reviewed(review=r.Review(on=review, participants=("référent", "famille"))),
            )
        )
        review = review + relativedelta(months=rng.randint(3, 8), days=rng.randint(0, 20))
    if plan.end_on is not None:
        yield from _with_end(rng, plan, timeline, guardian)
        return
    for _, _, event in sorted(timeline, key=lambda t: (t[0], t[1])):
        yield event


def _with_end(
    rng: random.Random, plan: Plan, timeline: list[tuple[dt.date, int, r.Event]], guardian: str
) -> Iterator[r.Event]:
    assert plan.end_on is not None
    end = plan.end_on
    kind = plan.end_kind
    if kind == "handover":
        informed = rng.random() < 0.5
        timeline.append(
            (
                end,
                9,
                r.HandedOver(
                    handover=r.Handover(
                        on=end,
                        recipient=r.HandoverRecipient.CRIP,
                        parents_informed=informed,
                        reason_not_informed=None
                        if informed
                        else "Information contraire à l'intérêt de l'enfant",
                    )
                ),
            )
        )
    else:
        assert plan.attainment is not None
        proposal = end - dt.timedelta(days=rng.randint(7, 21))
        statuses = _statuses(rng, len(plan.domains or (1,)), plan.attainment)
        if kind == "withdrawal":
            # The family withdraws while the objectives are still being worked on.
            statuses = [r.ObjectiveStatus.IN_PROGRESS] * len(statuses)
        for i, status in enumerate(statuses, start=1):
            timeline.append(
                (
                    proposal,
                    3,
                    r.ObjectiveUpdated(on=proposal, objective_id=f"obj-{i}", status=status),
                )
            )
        if kind == "withdrawal":
            timeline.append((end, 9, r.ConsentWithdrawn(on=end, by=guardian)))
        else:
            if kind == "lost_contact":
                timeline.append((proposal, 4, r.ContactLost(on=proposal)))
            else:
                reason = {
                    r.Attainment.COMPLETE: r.ExitReason.OBJECTIVES_MET,
                    r.Attainment.PARTIAL: r.ExitReason.RELAY_MAINSTREAM,
                    r.Attainment.NONE: r.ExitReason.RELAY_SPECIALISED,
                }[plan.attainment]
                if kind == "moved":
                    reason = r.ExitReason.MOVED_AWAY
                timeline.append((proposal, 4, r.ExitProposed(on=proposal, reason=reason)))
            assert plan.satisfactory is not None
            timeline.append(
                (
                    end,
                    9,
                    r.ExitValidated(
                        decision=_decision(rng, plan, end),
                        attainment=plan.attainment,
                        satisfactory_evolution=plan.satisfactory,
                    ),
                )
            )
    # No action is planned once the exit is under way (the plan keeps them before).
    cut = min(on for on, rank, _ in timeline if rank >= 3)
    dropped: set[str] = set()
    for on, _rank, event in sorted(timeline, key=lambda t: (t[0], t[1])):
        if isinstance(event, r.ActionPlanned) and on > cut:
            dropped.add(event.action.id)
        elif not (isinstance(event, r.ActionEnded) and event.action_id in dropped):
            yield event


PROGRAMME = programme()


def build_cohort(seed: int = SEED) -> tuple[r.Programme, list[r.Pathway]]:
    """The programme and its pathways, each driven event by event through ``apply``."""
    rng = random.Random(seed + 1)
    pathways: list[r.Pathway] = []
    for plan in plan_cohort(seed):
        events = [e for e in events_of(rng, plan) if e.on <= EXTRACTED_ON]
        first, *rest = events
        pathway = r.open_pathway(PROGRAMME, first)  # type: ignore[arg-type]
        for event in rest:
            pathway = r.apply(pathway, event, expected_version=pathway.version)
        pathways.append(pathway)
    return PROGRAMME, pathways


def _write(pathways: list[r.Pathway], target: pathlib.Path) -> None:
    from reussite.serialization import dump_cohort

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            dump_cohort(pathways, stream, programme=PROGRAMME)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the data file is public
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    pre, pathways = build_cohort()
    from reussite.indicators import annual_report
    from reussite.periods import CalendarYear, SchoolYear

    report = annual_report(pathways, SchoolYear(2017), as_of=SCHOOL_YEAR[1], programme=pre)
    print(report.to_text(detail=False), end="")
    year = annual_report(pathways, CalendarYear(2017), as_of=D(2017, 12, 31), programme=pre)
    print(f"  (en 2017 : {year.value('children_followed')} enfants suivis)")
    print(f"{len(pathways)} parcours, {sum(p.version for p in pathways)} événements")
    if args.check:
        import io

        from reussite.serialization import dump_cohort

        text = io.StringIO()
        dump_cohort(pathways, text, programme=pre)
        stale = [p for p in OUTPUTS if not p.exists() or p.read_text("utf-8") != text.getvalue()]
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for target in OUTPUTS:
        _write(pathways, target)
        print(f"écrit : {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
