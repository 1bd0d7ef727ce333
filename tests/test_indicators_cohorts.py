"""Tiny hand-built pathways for the indicator tests (helpers only: no test here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import reussite as r
from conftest import FAMILY, decision, make_child, make_programme

D = dt.date
PROGRAMME = make_programme()
REFERRED = D(2017, 10, 2)


def action(
    aid: str,
    start: dt.date,
    *,
    funding: r.ActionFunding = r.ActionFunding.PRE_FUNDED,
    kind: r.ActionKind = r.ActionKind.INDIVIDUAL,
    timing: r.ActionTiming = r.ActionTiming.OUT_OF_SCHOOL_TIME,
) -> r.Action:
    return r.Action(
        id=aid,
        label="Aide aux devoirs",
        objective_ids=("obj-1",),
        funding=funding,
        kind=kind,
        timing=timing,
        start=start,
    )


def pathway(
    pid: str,
    *,
    child: str = "enf-1",
    referred: dt.date = REFERRED,
    source: r.ReferralSource = r.ReferralSource.EDUCATION_NATIONALE,
    consent: dt.date | None = None,
    admitted: dt.date | None = None,
    started: dt.date | None = None,
    actions: Sequence[tuple[dt.date, r.Action]] = (),
    action_ends: Sequence[tuple[dt.date, str]] = (),
    reviews: Sequence[dt.date] = (),
    exit_on: dt.date | None = None,
    objective: r.ObjectiveStatus = r.ObjectiveStatus.MET,
    satisfactory: bool = True,
    refused: dt.date | None = None,
    withdrawn: dt.date | None = None,
    handover: tuple[dt.date, r.HandoverRecipient] | None = None,
    domain: r.ObjectiveDomain = r.ObjectiveDomain.SCHOOL,
    programme: r.Programme = PROGRAMME,
    **child_changes: object,
) -> r.Pathway:
    """A pathway along the main road, stopping where the arguments stop."""
    p = r.open_pathway(
        programme,
        r.Referred(
            pathway_id=pid,
            child=make_child(id=child, **child_changes),
            family=FAMILY,
            referral=r.Referral(
                on=referred, source=source, reasons=(r.ReferralReason.LEARNING,), referrer="X"
            ),
        ),
    )
    events: list[r.Event] = []
    if refused is not None:
        events.append(r.FamilyRefused(on=refused))
    if consent is not None:
        events.append(r.ConsentGiven(consent=r.Consent(id="a", on=consent, given_by=("g-1",))))
    if admitted is not None:
        events += [
            r.Assessed(assessment=r.Assessment(on=admitted)),
            r.ObjectiveSet(
                on=admitted, objective=r.Objective(id="obj-1", domain=domain, label="Lire")
            ),
            r.Admitted(decision=decision(admitted), referent_id="ref-a"),
        ]
    if started is not None:
        events.append(r.Started(on=started))
    timed: list[tuple[dt.date, int, r.Event]] = []
    timed += [(on, 0, r.ActionPlanned(on=on, action=a)) for on, a in actions]
    timed += [(on, 1, r.ActionEnded(on=on, action_id=aid)) for on, aid in action_ends]
    timed += [(on, 2, r.Reviewed(review=r.Review(on=on))) for on in reviews]
    events += [e for _, _, e in sorted(timed, key=lambda t: (t[0], t[1]))]
    if exit_on is not None:
        events += [
            r.ObjectiveUpdated(on=exit_on, objective_id="obj-1", status=objective),
            r.ExitProposed(on=exit_on, reason=r.ExitReason.OBJECTIVES_MET),
            r.ExitValidated(
                decision=decision(exit_on),
                attainment=r.derive_attainment(
                    (r.Objective(id="o", domain=domain, label="x", status=objective),)
                ),
                satisfactory_evolution=satisfactory,
            ),
        ]
    if withdrawn is not None:
        events.append(r.ConsentWithdrawn(on=withdrawn, by="g-1"))
    if handover is not None:
        on, recipient = handover
        events.append(
            r.HandedOver(handover=r.Handover(on=on, recipient=recipient, parents_informed=True))
        )
    for event in events:
        p = r.apply(p, event)
    return p


def followed(
    pid: str,
    admitted: dt.date,
    *,
    exit_on: dt.date | None = None,
    **kw: object,
) -> r.Pathway:
    """A pathway admitted on ``admitted`` and started a week later with one action."""
    started = admitted + dt.timedelta(days=7)
    kw.setdefault("actions", [(started, action("act-1", started))])
    return pathway(
        pid,
        referred=admitted - dt.timedelta(days=30),
        consent=admitted - dt.timedelta(days=20),
        admitted=admitted,
        started=started,
        exit_on=exit_on,
        **kw,  # type: ignore[arg-type]
    )
