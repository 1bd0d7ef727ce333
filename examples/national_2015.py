"""A synthetic nation of 493 PREs, and the national key figures of 2014-2015 recomputed.

    python examples/national_2015.py                # the whole nation (about a minute)
    python examples/national_2015.py --scale 0.02   # a small nation, for a quick look
    python examples/national_2015.py --write DIR    # also write the ~1,500 files

A seeded generator builds every PRE through the public API, event by event: its
programme (referents, EPS), one pathway per child followed (referral, consent,
assessment, objectives, EPS admission, start, actions, reviews, exits), its ledger of the
calendar year 2014 (budget lines classified by ``reussite.budget``) and what it declares
(carrier, schools, EPS, staff). ``reussite.national.build_return`` computes each return,
``synthesise`` sums them, and the figures are compared with the published table of
``NATIONAL.md`` at its published precision.

The generator is *calibrated*: per-PRE sizes and amounts are integer partitions of the
published totals (seeded), so that the sums hit them; the figures printed are nonetheless
computed by the library from the generated events and ledgers, never copied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import pathlib
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import attrs

import reussite as r
from reussite.budget import BudgetLine, BudgetSummary, Nature, Side
from reussite.national import (
    PUBLISHED,
    Declared,
    DeclaredPost,
    Evolution,
    PartnerRoles,
    PreReturn,
    Synthesis,
    build_return,
    synthesise,
)
from reussite.national import Count as Item

D = dt.date
YEAR = r.SchoolYear(2014)  # 2014/2015
MONEY_YEAR = 2014

# The published table (NATIONAL.md, school year 2014-2015, money of 2014): the targets the
# generator is calibrated on, and the figures the synthesis is checked against.
TABLE_2015 = {
    "pres_active": 493,
    "children_supported": 104_279,
    "children_in_pathway_share": 79,
    "posts": 4_744,
    "fte": 1_637,
    "eps": 1_314,
    "eps_meetings_per_eps": 10,
    "delay_referral_to_review_mean": 20,
    "schools.maternelle": 3_286,
    "schools.elementaire": 3_712,
    "schools.college": 1_358,
    "schools.lycee": 286,
    "schools": 8_642,
    "direct_funding": 100_696_580,
    "direct_funding.state_politique_ville": 69,  # M€
    "direct_funding.commune": 21,  # M€
    "state_share": 73,
    "direct_funding_share.commune": 21,
    "in_kind": 13_548_817,
    "in_kind.commune": 9.3,  # M€
    "in_kind_share.commune": 69,
    "pres_with.commune": 72,
    "total_per_pre": 234_100,  # to the hundred euros
    "co_funding_rate_mean": 37,
}
"""Published value of each figure id of the synthesis, at its published precision."""


@attrs.frozen
class Targets:
    """The totals a nation of ``pres`` PREs is calibrated on (the published ones × scale)."""

    pres: int
    not_answering_money: int
    in_pathway: int
    collective_only: int
    eps: int
    schools: tuple[int, int, int, int]
    referent_fte: int  # hundredths
    coordinator_fte: int  # hundredths
    posts: int
    fte: int  # hundredths
    direct_euros: int
    pv_euros: int
    state_other_euros: int
    commune_euros: int
    pres_with_commune: int
    in_kind_euros: int
    in_kind_commune_euros: int
    co_funding_mean: float

    @classmethod
    def scaled(cls, scale: float) -> Targets:
        def s(x: int) -> int:
            return max(1, round(x * scale))

        pres = s(493)
        money = pres - s(5)
        return cls(
            pres=pres,
            not_answering_money=s(5),
            in_pathway=s(82_380),
            collective_only=s(104_279) - s(82_380),
            eps=s(1_314),
            schools=(s(3_286), s(3_712), s(1_358), s(286)),
            referent_fte=s(100_000),
            coordinator_fte=s(40_000),
            posts=s(4_744),
            fte=s(163_700),
            direct_euros=s(100_696_580),
            pv_euros=s(68_950_000),
            state_other_euros=s(4_600_000),
            commune_euros=s(21_150_000),
            pres_with_commune=round(money * 0.7213),
            in_kind_euros=s(13_548_817),
            in_kind_commune_euros=s(9_300_000),
            co_funding_mean=0.37,
        )


def partition(
    total: int,
    weights: Sequence[float],
    *,
    minimum: int = 0,
    maximum: Sequence[int] | None = None,
) -> list[int]:
    """``total`` split into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum`` and at most ``maximum[i]``; they add up to ``total``."""
    n = len(weights)
    caps = list(maximum) if maximum is not None else [total] * n
    if minimum * n > total or sum(caps) < total:
        raise ValueError("impossible partition")
    parts = [minimum] * n
    free = [i for i in range(n) if caps[i] > minimum]
    left = total - minimum * n
    while left > 0:
        weight = sum(weights[i] for i in free)
        shares = [left * weights[i] / weight for i in free]
        floors = [min(int(x), caps[i] - parts[i]) for x, i in zip(shares, free, strict=True)]
        given = sum(floors)
        for f, i in zip(floors, free, strict=True):
            parts[i] += f
        left -= given
        order = sorted(range(len(free)), key=lambda k: shares[k] - int(shares[k]), reverse=True)
        for k in order:
            if left == 0:
                break
            i = free[k]
            if parts[i] < caps[i]:
                parts[i] += 1
                left -= 1
        free = [i for i in free if parts[i] < caps[i]]
        if given == 0 and left > 0 and not free:
            raise ValueError("impossible partition")
    return parts


@attrs.frozen
class PrePlan:
    """What one PRE is made of: sizes and amounts drawn by the plan, and its seed."""

    index: int
    seed: int
    in_pathway: int
    collective_only: int
    eps: int
    eps_meetings: int
    schools: tuple[int, int, int, int]
    referent_fte: tuple[int, ...]  # hundredths, one per referent
    coordinator_fte: int
    other_posts: int
    other_fte: int
    carrier: str
    qpv_count: int
    outside: bool
    money: dict[str, int] | None  # euros by funder (and "in_kind.<giver>")


def plan(seed: int = 2015, scale: float = 1.0) -> list[PrePlan]:
    """The plan of a nation: one :class:`PrePlan` per PRE, calibrated on :class:`Targets`."""
    t = Targets.scaled(scale)
    rng = random.Random(seed)
    n = t.pres
    size_weight = [math.exp(rng.gauss(0, 0.95)) for _ in range(n)]
    in_pathway = partition(t.in_pathway, size_weight, minimum=min(25, t.in_pathway // n))
    collective = partition(t.collective_only, [w * rng.uniform(0.3, 1.7) for w in size_weight])
    eps = partition(t.eps, size_weight, minimum=1)
    meetings = [10 * e for e in eps]  # about 10 meetings a year each
    schools = [partition(x, size_weight) for x in t.schools]
    ref_fte = partition(t.referent_fte, size_weight, minimum=20)
    coord = partition(
        t.coordinator_fte, [1.0] * n, minimum=min(50, t.coordinator_fte // n), maximum=[100] * n
    )
    referents = [_split_fte(x, rng) for x in ref_fte]
    referent_posts = sum(len(x) for x in referents)
    other_posts = partition(t.posts - n - referent_posts, size_weight)
    other_fte_total = t.fte - t.referent_fte - t.coordinator_fte
    other_fte = partition(
        other_fte_total, [p + 0.01 for p in other_posts], maximum=[p * 100 for p in other_posts]
    )
    carriers = ["ccas_cias"] * 6 + ["commune"] * 3 + ["caisse_des_ecoles", "gip", "epci"]
    money = _money_plan(t, in_pathway, rng)
    return [
        PrePlan(
            index=i,
            seed=rng.randrange(2**32),
            in_pathway=in_pathway[i],
            collective_only=collective[i],
            eps=eps[i],
            eps_meetings=meetings[i],
            schools=tuple(s[i] for s in schools),  # type: ignore[arg-type]
            referent_fte=tuple(referents[i]),
            coordinator_fte=coord[i],
            other_posts=other_posts[i],
            other_fte=other_fte[i],
            carrier=rng.choice(carriers),
            qpv_count=rng.choice((1, 1, 2, 2, 2, 3, 4)),
            outside=rng.random() < 45 / 493,
            money=money[i],
        )
        for i in range(n)
    ]


def _split_fte(hundredths: int, rng: random.Random) -> list[int]:
    """Referents' FTE (each 20 to 100 hundredths) adding up to ``hundredths``."""
    posts = max(1, math.ceil(hundredths / rng.choice((60, 70, 80, 90))))
    return partition(
        hundredths,
        [rng.uniform(0.5, 1.5) for _ in range(posts)],
        minimum=min(20, hundredths // posts),
        maximum=[100] * posts,
    )


def _money_plan(t: Targets, sizes: list[int], rng: random.Random) -> list[dict[str, int] | None]:
    """Euros by funder for each PRE answering the money block (``None`` for the others).

    The State's politique de la ville share of each PRE grows with its size, so that the
    mean of the PREs' co-funding rates (37 %) exceeds the pooled one, as published.
    """
    n = len(sizes)
    silent = set(sorted(range(n), key=lambda i: sizes[i])[: t.not_answering_money])
    payers = [i for i in range(n) if i not in silent]
    direct = partition(
        t.direct_euros, [sizes[i] ** 0.8 * rng.uniform(0.8, 1.2) for i in payers], minimum=30_000
    )
    rank = {
        i: k / (len(payers) - 1 or 1) for k, i in enumerate(sorted(payers, key=lambda i: sizes[i]))
    }
    target_mean = 1 - t.co_funding_mean
    low, high = 0.0, 6.0
    for _ in range(60):  # bisection on the slope of the share against the size rank
        gamma = (low + high) / 2
        weights = [(0.4 + rank[i]) ** gamma for i in payers]
        shares = _pv_shares(t.pv_euros, direct, weights)
        mean = sum(shares) / len(shares)
        low, high = (gamma, high) if mean > target_mean else (low, gamma)
    pv = [round(s * d) for s, d in zip(shares, direct, strict=True)]
    pv[max(range(len(pv)), key=lambda k: pv[k])] += t.pv_euros - sum(pv)
    rest = [d - p for d, p in zip(direct, pv, strict=True)]
    by_rest = sorted(
        range(len(payers)), key=lambda k: rest[k] * rng.uniform(0.7, 1.3), reverse=True
    )
    with_commune = set(by_rest[: t.pres_with_commune])
    commune = partition(
        t.commune_euros,
        [rest[k] if k in with_commune else 0 for k in range(len(payers))],
        maximum=[int(rest[k] * 0.95) if k in with_commune else 0 for k in range(len(payers))],
    )
    rest = [x - c for x, c in zip(rest, commune, strict=True)]
    state_other = partition(
        t.state_other_euros, [x + 1 for x in rest], maximum=[x // 2 for x in rest]
    )
    rest = [x - s for x, s in zip(rest, state_other, strict=True)]
    in_kind = partition(t.in_kind_euros, list(direct))
    in_kind_commune = partition(t.in_kind_commune_euros, list(in_kind), maximum=in_kind)
    plans: list[dict[str, int] | None] = [None] * n
    for k, i in enumerate(payers):
        money = {
            "state_politique_ville": pv[k],
            "state_other": state_other[k],
            "commune": commune[k],
        }
        others = partition(rest[k], [rng.uniform(0.2, 1) for _ in range(4)])
        money.update(zip(("epci", "departement", "caf", "other"), others, strict=True))
        money["in_kind.commune"] = in_kind_commune[k]
        money["in_kind.epci"] = in_kind[k] - in_kind_commune[k]
        plans[i] = money
    return plans


def _pv_shares(pv_total: int, direct: list[int], weights: list[float]) -> list[float]:
    """Shares ``c × weight`` (at most 0.95) whose amounts add up to ``pv_total``."""
    capped: set[int] = set()
    for _ in range(50):
        free = sum(
            w * d for k, (w, d) in enumerate(zip(weights, direct, strict=True)) if k not in capped
        )
        c = (pv_total - 0.95 * sum(direct[k] for k in capped)) / free
        new = {k for k, w in enumerate(weights) if c * w > 0.95}
        if new <= capped:
            break
        capped |= new
    return [0.95 if k in capped else c * w for k, w in enumerate(weights)]


# --- one PRE, built through the public API ----------------------------------------------

_FUNDERS = {
    "state_politique_ville": ("Préfecture - CGET", "Subvention PRE, programme 147"),
    "state_other": ("Éducation nationale", "Subvention"),
    "commune": ("Ville de {name}", "Subvention de fonctionnement"),
    "epci": ("Communauté d'agglomération", "Participation"),
    "departement": ("Département", "Subvention"),
    "caf": ("CAF", "Prestation de service"),
    "other": ("Fondation de France", "Don"),
}
_IN_KIND_LABELS = ("Mise à disposition de locaux", "Personnel mis à disposition", "Matériel prêté")
_SOURCES = list(r.ReferralSource)


def programme_of(p: PrePlan) -> r.Programme:
    """The programme of a planned PRE: territory, EPS and referents."""
    commune = f"{(p.index % 95) + 1:02d}{p.index % 1000:03d}"
    qpvs = frozenset(f"QP{commune[:2]}{p.index:04d}{k}"[:8] for k in range(p.qpv_count))
    return r.Programme(
        id=f"pre-{p.index:03d}",
        name=f"PRE synthétique n° {p.index + 1}",
        territory=r.Timeline.of(
            (D(2007, 1, 1), r.Territory(communes=frozenset({commune}), qpv_codes=qpvs)),
            name="territory",
        ),
        support_teams=tuple(
            r.SupportTeam(id=f"eps-{k}", name=f"EPS {k}", members=("coord", "ien", "mds"))
            for k in range(1, p.eps + 1)
        ),
        referents=tuple(
            r.Referent(id=f"ref-{k}", name=f"Référent {k}", fte=f / 100)
            for k, f in enumerate(p.referent_fte, start=1)
        ),
    )


def pathways_of(p: PrePlan, programme: r.Programme) -> list[r.Pathway]:
    """One pathway per child followed in 2014/2015, each built event by event."""
    rng = random.Random(p.seed)
    territory = programme.territory.at(D(2014, 9, 1))
    commune = next(iter(territory.communes))
    qpvs = sorted(territory.qpv_codes)
    out = []
    for k in range(p.in_pathway):
        earlier = rng.random() < 0.3  # referred the year before, still followed
        first = D(2013, 9, 2) if earlier else D(2014, 9, 1)
        referral_on = first + dt.timedelta(days=rng.randrange(260))
        age = rng.choices(
            (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
            weights=(4, 5, 6, 10, 11, 11, 11, 10, 9, 8, 6, 4, 3, 2),
        )[0]
        birth = referral_on - dt.timedelta(days=365 * age + rng.randrange(1, 300))
        child = r.Child(
            id=f"enf-{k}",
            first_name="Prénom",
            last_name="Nom",
            birth_date=birth,
            sex=rng.choice((r.Sex.FEMALE, r.Sex.MALE, r.Sex.MALE)),
            school_level=r.SchoolLevel.CE2,
            priority_education=r.PriorityEducation.REP,
            commune=commune,
            qpv=rng.choice(qpvs),
            family_id=f"fam-{k}",
        )
        guardian = r.Guardian(id="g-1", first_name="Parent", last_name="Nom", relationship="mère")
        pw = r.open_pathway(
            programme,
            r.Referred(
                pathway_id=f"p-{k:05d}",
                child=child,
                family=r.Family(id=f"fam-{k}", guardians=(guardian,)),
                referral=r.Referral(
                    on=referral_on,
                    source=rng.choice(_SOURCES),
                    reasons=(r.ReferralReason.LEARNING,),
                    referrer="École",
                ),
            ),
        )
        delay = rng.randint(8, 32)  # referral → EPS decision, 20 days on average
        consent_on = referral_on + dt.timedelta(days=rng.randint(1, 4))
        pw = r.apply(
            pw, r.ConsentGiven(consent=r.Consent(id="acc-1", on=consent_on, given_by=("g-1",)))
        )
        assessed_on = consent_on + dt.timedelta(days=1)
        pw = r.apply(
            pw,
            r.Assessed(
                assessment=r.Assessment(
                    on=assessed_on, needs=(r.ObjectiveDomain.SCHOOL, r.ObjectiveDomain.PARENTING)
                )
            ),
        )
        for o, domain in enumerate((r.ObjectiveDomain.SCHOOL, r.ObjectiveDomain.PARENTING), 1):
            pw = r.apply(
                pw,
                r.ObjectiveSet(
                    on=assessed_on,
                    objective=r.Objective(id=f"obj-{o}", domain=domain, label="Objectif"),
                ),
            )
        decided = referral_on + dt.timedelta(days=delay)
        team = programme.support_teams[k % len(programme.support_teams)]
        pw = r.apply(
            pw,
            r.Admitted(
                decision=r.TeamDecision(team_id=team.id, on=decided, members_present=team.members),
                referent_id=programme.referents[k % len(programme.referents)].id,
            ),
        )
        on = decided + dt.timedelta(days=rng.randint(0, 10))
        pw = r.apply(pw, r.Started(on=on))
        for a in range(1, rng.randint(4, 8) + 1):
            on += dt.timedelta(days=rng.randint(3, 20))
            pre = rng.random() < 0.5
            pw = r.apply(
                pw,
                r.ActionPlanned(
                    on=on,
                    action=r.Action(
                        id=f"act-{a}",
                        label="Action",
                        objective_ids=("obj-1",),
                        funding=r.ActionFunding.PRE_FUNDED if pre else r.ActionFunding.MAINSTREAM,
                        kind=r.ActionKind.INDIVIDUAL,
                        start=on,
                    ),
                ),
            )
            if a % 3 == 0:
                pw = r.apply(pw, r.Reviewed(review=r.Review(on=on, participants=("référent",))))
        if rng.random() < 0.45:
            on = max(on, decided + dt.timedelta(days=rng.randint(90, 560)), D(2014, 9, 8))
            if on < D(2015, 8, 1):
                for o in ("obj-1", "obj-2"):
                    pw = r.apply(
                        pw, r.ObjectiveUpdated(on=on, objective_id=o, status=r.ObjectiveStatus.MET)
                    )
                pw = r.apply(pw, r.ExitProposed(on=on, reason=r.ExitReason.OBJECTIVES_MET))
                pw = r.apply(
                    pw,
                    r.ExitValidated(
                        decision=r.TeamDecision(
                            team_id=team.id,
                            on=on + dt.timedelta(days=7),
                            members_present=team.members,
                        ),
                        attainment=r.Attainment.COMPLETE,
                        satisfactory_evolution=True,
                    ),
                )
        out.append(pw)
    return out


def ledger_of(p: PrePlan) -> list[BudgetLine]:
    """The funding lines of the calendar year 2014 (none when the PRE did not answer)."""
    if p.money is None:
        return []
    name = f"PRE {p.index + 1}"
    lines = []
    for key, euros in p.money.items():
        if not euros:
            continue
        if key.startswith("in_kind."):
            giver = key.split(".", 1)[1]
            funder = _FUNDERS[giver][0].format(name=name)
            label = _IN_KIND_LABELS[p.index % 3]
            lines.append(
                BudgetLine(
                    side=Side.FUNDING,
                    label=label,
                    funder=funder,
                    amount_cents=euros * 100,
                    nature=Nature.IN_KIND,
                    year=MONEY_YEAR,
                )
            )
        else:
            funder, label = _FUNDERS[key]
            lines.append(
                BudgetLine(
                    side=Side.FUNDING,
                    label=label,
                    funder=funder.format(name=name),
                    amount_cents=euros * 100,
                    nature=Nature.CASH,
                    year=MONEY_YEAR,
                )
            )
    return lines


def declared_of(p: PrePlan) -> Declared:
    """What the PRE declares: carrier, territory, schools, partners, EPS, staff."""
    levels = ("maternelle", "elementaire", "college", "lycee")
    return Declared(
        carrier=p.carrier,
        qpv_count=p.qpv_count,
        outside_priority_geography=p.outside,
        schools=tuple(Item(code=c, n=x) for c, x in zip(levels, p.schools, strict=True)),
        partners=(
            PartnerRoles(partner="education_nationale", roles=("orientation", "eps")),
            PartnerRoles(partner="departement", roles=("orientation", "eps", "financement")),
        ),
        eps=p.eps,
        eps_meetings=p.eps_meetings,
        children_collective_only=p.collective_only,
        posts=(
            DeclaredPost(function="coordinator", posts=1, fte_hundredths=p.coordinator_fte),
            DeclaredPost(function="other", posts=p.other_posts, fte_hundredths=p.other_fte),
        ),
    )


def return_of(p: PrePlan) -> PreReturn:
    """Build the PRE and compute its return (in memory)."""
    programme = programme_of(p)
    lines = ledger_of(p)
    return build_return(
        pathways_of(p, programme),
        programme,
        YEAR,
        declared=declared_of(p),
        budget=BudgetSummary.from_lines(lines) if lines else None,
        money_year=MONEY_YEAR,
    )


# --- files --------------------------------------------------------------------------------


def write_pre(p: PrePlan, folder: str) -> int:
    """Write the PRE's cohort file, ledger (CSV) and declared answers (JSON); return events."""
    from reussite.serialization import dump_cohort, dumps

    base = pathlib.Path(folder) / f"pre-{p.index:03d}"
    programme = programme_of(p)
    pathways = pathways_of(p, programme)
    dump_cohort(pathways, f"{base}.jsonl", programme=programme)
    rows = ["Exercice;Sens;Libellé;Financeur;Forme;Montant"]
    for line in ledger_of(p):
        nature = "en nature" if line.nature is Nature.IN_KIND else "numéraire"
        euros = f"{(line.amount_cents or 0) // 100},00"
        rows.append(f"{line.year};Recette;{line.label};{line.funder};{nature};{euros}")
    pathlib.Path(f"{base}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pathlib.Path(f"{base}.declared.json").write_text(dumps(declared_of(p)), encoding="utf-8")
    return sum(len(x.history) for x in pathways)


# --- the comparison --------------------------------------------------------------------


def published_precision(figure_id: str, value: float) -> float:
    """``value`` (as the synthesis computes it) at the precision the table publishes it."""
    published = TABLE_2015[figure_id]
    if figure_id in ("direct_funding.state_politique_ville", "direct_funding.commune"):
        return round(value / 1e6)
    if figure_id == "in_kind.commune":
        return round(value / 1e6, 1)
    if figure_id == "total_per_pre":
        return round(value, -2)
    if isinstance(published, int):
        return round(value)
    return value


def compare(nation: r.national.Synthesis) -> list[tuple[str, float, float, bool]]:
    """``(figure id, computed at published precision, published, equal)`` for the table."""
    rows = []
    for figure_id, published in TABLE_2015.items():
        value = nation.figure(figure_id).value
        assert value is not None, figure_id
        shown = published_precision(figure_id, value)
        rows.append((figure_id, shown, published, shown == published))
    return rows


def _merge(a: Synthesis | None, b: Synthesis) -> Synthesis:
    return b if a is None else a.merge(b)


def on_dask(plans: list[PrePlan], workers: int) -> Synthesis:
    """The synthesis computed on a Dask local cluster (the ``dask`` extra)."""
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        bag = db.from_sequence(plans, npartitions=min(len(plans), workers * 8))
        result: Synthesis = (
            bag.map(return_of).map(Synthesis.of).fold(_merge, _merge, initial=None).compute()
        )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the nation (1: 493 PREs)")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write", metavar="DIR", help="write the files of every PRE into DIR")
    parser.add_argument("--dask", action="store_true", help="on a Dask local cluster instead")
    parser.add_argument("--chart", metavar="PNG", help="draw the evolution chart into PNG")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    plans = plan(args.seed, args.scale)
    with ProcessPoolExecutor(args.workers) as pool:
        if args.write:
            os.makedirs(args.write, exist_ok=True)
            events = sum(pool.map(write_pre, plans, [args.write] * len(plans), chunksize=4))
            print(
                f"{len(plans)} PRE écrits dans {args.write} ({events:,} événements)".replace(
                    ",", " "
                )
            )
        if not args.dask:
            nation = synthesise(pool.map(return_of, plans, chunksize=4))
    if args.dask:
        nation = on_dask(plans, args.workers)
    elapsed = time.perf_counter() - started
    engine = "Dask, cluster local" if args.dask else "processus"
    print(f"{len(plans)} PRE générés et synthétisés en {elapsed:.1f} s ({args.workers} {engine})")
    if args.chart:
        import matplotlib

        matplotlib.use("Agg")
        Evolution.of([*PUBLISHED, nation]).plot().savefig(args.chart)
    if args.scale != 1.0:
        print(nation.to_text())
        return 0
    print(Evolution.of([*PUBLISHED, nation]).to_text())
    failures = 0
    print(f"{'chiffre':42} {'calculé':>14} {'publié':>14}")
    for figure_id, shown, published, equal in compare(nation):
        failures += not equal
        print(f"{figure_id:42} {shown:>14,} {published:>14,} {'' if equal else '  ÉCART'}")
    print(json.dumps({"figures": len(TABLE_2015), "different": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
