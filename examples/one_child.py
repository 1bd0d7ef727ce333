"""Follow one child from referral to exit with the public API: python examples/one_child.py"""

from datetime import date as D  # noqa: N812

import reussite as r

# fmt: off
pre = r.Programme(id="pre-salon", name="PRE du Pays Salonais",
                  territory=r.Timeline.of((D(2007, 1, 1), r.Territory(communes=frozenset({"13103"})))),
                  support_teams=(r.SupportTeam(id="eps", name="EPS de Salon"),),
                  referents=(r.Referent(id="amina", name="Amina B.", fte=1.0),))
child = r.Child(id="yanis", first_name="Yanis", last_name="K.", birth_date=D(2009, 5, 4), sex=r.Sex.MALE,
                school_level=r.SchoolLevel.CM1, priority_education=r.PriorityEducation.REP,
                commune="13103", family_id="fam-1")
referral = r.Referral(on=D(2017, 10, 2), source=r.ReferralSource.EDUCATION_NATIONALE,
                      reasons=(r.ReferralReason.LEARNING,), referrer="la directrice de l'école")
p = r.open_pathway(pre, r.Referred(pathway_id="p-1", child=child, referral=referral,
                                   family=r.Family(id="fam-1", guardians=(r.Guardian(id="nadia", first_name="Nadia", last_name="K."),))))
def eps(day: D) -> r.TeamDecision: return r.TeamDecision(team_id="eps", on=day, members_present=("coord", "ien"))
for event in (
    r.ConsentGiven(consent=r.Consent(id="accord", on=D(2017, 10, 9), given_by=("nadia",))),
    r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20), needs=(r.ObjectiveDomain.SCHOOL,))),
    r.ObjectiveSet(on=D(2017, 10, 20), objective=r.Objective(id="lire", domain=r.ObjectiveDomain.SCHOOL, label="Lire couramment")),
    r.Admitted(decision=eps(D(2017, 11, 6)), referent_id="amina"),
    r.Started(on=D(2017, 11, 13)),
    r.ActionPlanned(on=D(2017, 11, 13), action=r.Action(id="devoirs", label="Aide aux devoirs", objective_ids=("lire",),
                                                        funding=r.ActionFunding.MAINSTREAM, start=D(2017, 11, 15))),
    r.ObjectiveUpdated(on=D(2018, 6, 1), objective_id="lire", status=r.ObjectiveStatus.MET),
    r.ExitProposed(on=D(2018, 6, 1), reason=r.ExitReason.OBJECTIVES_MET),
    r.ExitValidated(decision=eps(D(2018, 6, 18)), attainment=r.Attainment.COMPLETE, satisfactory_evolution=True),
):
    p = r.apply(p, event, expected_version=p.version)
    print(f"{event.on} {event.label_fr:<26} -> {p.state.label_fr}")
print(f"Sortie : {p.exit.attainment.label_fr}, {p.exit.reason.label_fr}")  # type: ignore[union-attr]
# fmt: on
