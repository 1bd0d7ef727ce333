"""A realistic generated cohort, built only through the public lifecycle (open_pathway/apply).

``realistic_pathways(n, seed)`` gives ``n`` pathways of one Pays-Salonais-like programme,
deterministic for a seed: about 4 objectives, 9 actions and 9 other events per pathway
taken on; some never taken on (family refusal, redirection), some handed over or
withdrawn, about a fifth still active. Shared by the benchmarks (serialization,
indicators). QPV codes are illustrative, not official.
"""

from __future__ import annotations

import datetime as dt
import random

import reussite as r

D = dt.date
_FIRST_NAMES = ("Inès", "Yanis", "Chloé", "Noé", "Aïcha", "Léo", "Maëlys", "Rayan", "Zoé", "Élias")
_LAST_NAMES = ("Martin", "Kaci", "Bénard", "N'Diaye", "Ruiz", "Lefèvre", "Haddad", "Moreau")
_LABELS = {
    r.ObjectiveDomain.SCHOOL: "Lire couramment",
    r.ObjectiveDomain.EDUCATIONAL_SOCIAL: "Reprendre confiance en soi",
    r.ObjectiveDomain.HEALTH: "Bilan orthophonique",
    r.ObjectiveDomain.PARENTING: "Soutenir les parents dans le suivi scolaire",
    r.ObjectiveDomain.CULTURE_SPORT: "S'inscrire dans un club",
}
_ACTIONS = ("Aide aux devoirs", "À plus dans le bus", "Séance d'orthophonie", "Stage de théâtre")


def realistic_programme() -> r.Programme:
    """The Pays Salonais PRE: Salon-de-Provence, then Berre-l'Étang from June 2016."""
    salon = r.Territory(communes=frozenset({"13103"}), qpv_codes=frozenset({"QP013901"}))
    both = r.Territory(
        communes=frozenset({"13103", "13014"}),
        qpv_codes=frozenset({"QP013901", "QP013902", "QP013903"}),
    )
    return r.Programme(
        id="pre-pays-salonais",
        name="PRE du Pays Salonais",
        territory=r.Timeline.of((D(2007, 1, 1), salon), (D(2016, 6, 1), both), name="territory"),
        support_teams=(
            r.SupportTeam(id="eps-salon", name="EPS Salon", members=("coord", "ien", "caf", "mds")),
            r.SupportTeam(id="eps-berre", name="EPS Berre", members=("coord", "ien", "ccas")),
        ),
        referents=tuple(
            r.Referent(id=f"ref-{i}", name=f"Référente {i}", fte=1.0) for i in (1, 2, 3)
        ),
    )


class _Walk:
    """One pathway's walk through the lifecycle, each event applied as it is made."""

    def __init__(self, rng: random.Random, programme: r.Programme, index: int) -> None:
        self.rng = rng
        self.programme = programme
        referral_on = D(2015, 9, 1) + dt.timedelta(days=rng.randrange(1400))
        berre = referral_on >= D(2016, 6, 1) and rng.random() < 0.21
        age = rng.randint(3, 15)
        birth = referral_on - dt.timedelta(days=365 * age + rng.randrange(300))
        territory = programme.territory.at(referral_on)
        child = r.Child(
            id=f"enf-{index}",
            first_name=rng.choice(_FIRST_NAMES),
            last_name=rng.choice(_LAST_NAMES),
            birth_date=birth,
            sex=rng.choice((r.Sex.FEMALE, r.Sex.MALE)),
            school_level=rng.choice(list(r.SchoolLevel)[3:14]),
            priority_education=rng.choice(list(r.PriorityEducation)),
            commune="13014" if berre else "13103",
            qpv=rng.choice(sorted(territory.qpv_codes)) if rng.random() < 0.85 else None,
            school_uai=f"013{rng.randrange(10_000):04d}{rng.choice('ABCDEFGH')}",
            family_id=f"fam-{index}",
        )
        guardians = tuple(
            r.Guardian(
                id=f"g-{g}",
                first_name=rng.choice(_FIRST_NAMES),
                last_name=child.last_name,
                relationship=("mère", "père")[g - 1],
                phone=f"06 {rng.randrange(100):02d} {rng.randrange(100):02d} 00 00",
            )
            for g in range(1, rng.choice((1, 2, 2)) + 1)
        )
        self.team = "eps-berre" if berre else "eps-salon"
        self.on = referral_on
        self.pathway = r.open_pathway(
            programme,
            r.Referred(
                pathway_id=f"p-{index:06d}",
                child=child,
                family=r.Family(id=f"fam-{index}", guardians=guardians),
                referral=r.Referral(
                    on=referral_on,
                    source=rng.choice(list(r.ReferralSource)),
                    reasons=tuple(rng.sample(list(r.ReferralReason), rng.randint(1, 3))),
                    referrer="Directrice, école des Canourgues",
                ),
            ),
        )

    def later(self, low: int, high: int) -> dt.date:
        self.on += dt.timedelta(days=self.rng.randint(low, high))
        return self.on

    def apply(self, event: r.Event) -> None:
        self.pathway = r.apply(self.pathway, event)

    def decision(self, **extra: str) -> r.TeamDecision:
        members = self.programme.support_team(self.team).members  # type: ignore[union-attr]
        return r.TeamDecision(team_id=self.team, on=self.on, members_present=members[:3], **extra)

    def run(self) -> r.Pathway:
        rng = self.rng
        if rng.random() < 0.03:
            self.apply(r.FamilyRefused(on=self.later(3, 20)))
            return self.pathway
        guardian = self.pathway.family.guardians[0].id
        self.apply(
            r.ConsentGiven(
                consent=r.Consent(id="acc-1", on=self.later(3, 20), given_by=(guardian,))
            )
        )
        needs = tuple(rng.sample(list(r.ObjectiveDomain), rng.randint(1, 3)))
        self.apply(r.Assessed(assessment=r.Assessment(on=self.later(5, 25), needs=needs)))
        if rng.random() < 0.04:
            self.apply(r.Redirected(decision=self.decision(), note="Relève du droit commun"))
            return self.pathway
        for number in range(1, rng.randint(2, 6) + 1):
            domain = rng.choice(list(r.ObjectiveDomain))
            objective = r.Objective(id=f"obj-{number}", domain=domain, label=_LABELS[domain])
            self.apply(r.ObjectiveSet(on=self.on, objective=objective))
        derogation = None if self.pathway.eligibility.eligible else "Situation prioritaire"
        self.later(5, 20)
        self.apply(
            r.Admitted(
                decision=self.decision(**({"derogation": derogation} if derogation else {})),
                referent_id=rng.choice(self.programme.referents).id,
            )
        )
        self.apply(r.Started(on=self.later(0, 14)))
        objective_ids = [o.id for o in self.pathway.objectives]
        for number in range(1, rng.randint(5, 13) + 1):
            self.later(0, 20)
            pre = rng.random() < 0.48
            cost = rng.randrange(4_500, 60_000, 500) if pre else 0
            action = r.Action(
                id=f"act-{number}",
                label=rng.choice(_ACTIONS),
                objective_ids=tuple(rng.sample(objective_ids, rng.randint(1, 2))),
                funding=r.ActionFunding.PRE_FUNDED if pre else r.ActionFunding.MAINSTREAM,
                kind=rng.choice(list(r.ActionKind)),
                start=self.on + dt.timedelta(days=rng.randint(0, 14)),
                cost_cents=cost,
                family_share_cents=cost // 3 if rng.random() < 0.2 else 0,
                provider=rng.choice((None, "Association Trait d'union", "CMP de Salon")),
            )
            self.apply(r.ActionPlanned(on=self.on, action=action))
            if number % 6 == 0:
                self.apply(
                    r.Reviewed(review=r.Review(on=self.on, participants=("référente", "famille")))
                )
        if rng.random() < 0.1:
            others = [x.id for x in self.programme.referents if x.id != self.pathway.referent_id]
            self.apply(r.ReferentChanged(on=self.later(1, 30), referent_id=rng.choice(others)))
        self.later(30, 200)
        for a in self.pathway.actions:
            if a.start <= self.on and rng.random() < 0.15:
                self.apply(r.ActionEnded(on=self.on, action_id=a.id))
        ending = rng.random()
        if ending < 0.2:
            return self.pathway  # still active
        for objective in rng.sample(self.pathway.objectives, len(self.pathway.objectives) // 3):
            status = rng.choice(
                (r.ObjectiveStatus.MET, r.ObjectiveStatus.MET, r.ObjectiveStatus.PARTIALLY_MET,
                 r.ObjectiveStatus.NOT_MET)
            )  # fmt: skip
            self.apply(r.ObjectiveUpdated(on=self.on, objective_id=objective.id, status=status))
        if ending < 0.25:
            self.apply(
                r.HandedOver(
                    handover=r.Handover(
                        on=self.later(1, 30),
                        recipient=rng.choice(list(r.HandoverRecipient)),
                        parents_informed=True,
                    )
                )
            )
        elif ending < 0.3:
            self.apply(r.ConsentWithdrawn(on=self.later(1, 30), by=guardian))
        else:
            self.apply(r.ExitProposed(on=self.later(1, 30), reason=r.ExitReason.OBJECTIVES_MET))
            self.later(0, 21)
            self.apply(
                r.ExitValidated(
                    decision=self.decision(),
                    attainment=r.derive_attainment(self.pathway.objectives),
                    satisfactory_evolution=rng.random() < 0.88,
                )
            )
        return self.pathway


def realistic_pathways(
    n: int, seed: int = 2018, *, programme: r.Programme | None = None
) -> list[r.Pathway]:
    """``n`` realistic pathways of ``programme`` (default :func:`realistic_programme`).

    Deterministic for a given ``seed``; every pathway was built by applying its events
    one by one, so every rule of the lifecycle holds.
    """
    programme = programme or realistic_programme()
    rng = random.Random(seed)
    return [_Walk(rng, programme, index).run() for index in range(n)]
