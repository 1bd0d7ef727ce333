"""Shared test set-up: Hypothesis profiles and a small Pays-Salonais-like programme."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, settings

import reussite as r

# Hypothesis profiles, chosen with REUSSITE_HYPOTHESIS_PROFILE (default: "default").
# The README's test command runs "default" and must stay under 2 minutes on 2 cores, so
# each property gets a score of examples there; "ci" is the same search without the
# local example database (.ci/run sets it); "nightly" is the long search for a nightly or
# manual run (REUSSITE_HYPOTHESIS_PROFILE=nightly python -m pytest), about 40 times
# longer; "dev" is the quickest, to iterate on one module; "fuzz" is the long fuzz run of
# tests/test_fuzz.py (see its docstring).
PROFILES: dict[str, dict[str, object]] = {
    "dev": {"max_examples": 10},
    "default": {"max_examples": 20},
    "ci": {"max_examples": 20, "database": None, "print_blob": True},
    "nightly": {"max_examples": 1000, "stateful_step_count": 50},
    "fuzz": {"max_examples": 20_000, "suppress_health_check": list(HealthCheck)},
}
for _name, _options in PROFILES.items():
    settings.register_profile(
        _name, **({"deadline": None, "suppress_health_check": [HealthCheck.too_slow]} | _options)
    )
settings.load_profile(
    os.environ.get("REUSSITE_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


def scaled(examples: int) -> int:
    """An explicit example count, scaled like the profile's (``examples`` is for 100).

    A test that needs more (or fewer) examples than the profile's default states it for
    Hypothesis's own default of 100 examples; the profile scales it: a fifth of it in
    ``default`` and ``ci``, ten times it in ``nightly``.
    """
    return max(1, examples * settings.default.max_examples // 100)


@pytest.fixture
def untraced():
    """Run a test without coverage tracing (whatever runs it: xdist, --no-cov, plain).

    For the long Hypothesis searches (the planted bugs, shrinking) whose code other tests
    measure: traced, they take two to four times as long. pytest-cov's ``no_cover``
    marker would do the same but fails under ``--no-cov``.
    """
    import coverage

    measuring = coverage.Coverage.current()
    if measuring is not None:
        measuring.stop()
    # An xdist worker runs a second tracer (pytest-cov's, besides the one started at the
    # interpreter's start-up): stopping the current Coverage leaves it tracing.
    tracer = sys.gettrace()
    sys.settrace(None)
    try:
        yield
    finally:
        sys.settrace(tracer)
        if measuring is not None:
            measuring.start()


D = dt.date


def make_programme() -> r.Programme:
    """Salon-de-Provence from 2007, Berre-l'Étang added on 1 June 2016 (illustrative QPVs)."""
    return r.Programme(
        id="pre-pays-salonais",
        name="PRE du Pays Salonais",
        territory=r.Timeline.of(
            (
                D(2007, 1, 1),
                r.Territory(communes=frozenset({"13103"}), qpv_codes=frozenset({"QP013901"})),
            ),
            (
                D(2016, 6, 1),
                r.Territory(
                    communes=frozenset({"13103", "13014"}),
                    qpv_codes=frozenset({"QP013901", "QP013902"}),
                ),
            ),
            name="territory",
        ),
        support_teams=(
            r.SupportTeam(id="eps-salon", name="EPS Salon", members=("coord", "ien", "caf")),
            r.SupportTeam(id="eps-berre", name="EPS Berre", members=("coord", "ien", "ccas")),
        ),
        referents=(
            r.Referent(id="ref-a", name="Référente A", fte=1.0),
            r.Referent(id="ref-b", name="Référente B", fte=0.8),
        ),
    )


@pytest.fixture
def programme() -> r.Programme:
    return make_programme()


FAMILY = r.Family(
    id="fam-1",
    guardians=(
        r.Guardian(id="g-1", first_name="Nadia", last_name="Kaci", relationship="mère"),
        r.Guardian(id="g-2", first_name="Karim", last_name="Kaci", relationship="père"),
    ),
)


def make_child(**changes: object) -> r.Child:
    values: dict[str, object] = {
        "id": "enf-1",
        "first_name": "Yanis",
        "last_name": "Kaci",
        "birth_date": D(2009, 5, 4),
        "sex": r.Sex.MALE,
        "school_level": r.SchoolLevel.CM1,
        "priority_education": r.PriorityEducation.NONE,
        "commune": "13103",
        "qpv": "QP013901",
        "family_id": "fam-1",
    }
    values.update(changes)
    return r.Child(**values)  # type: ignore[arg-type]


REFERRAL_ON = D(2017, 10, 2)


def referred(on: dt.date = REFERRAL_ON, **child_changes: object) -> r.Referred:
    return r.Referred(
        pathway_id="p-1",
        child=make_child(**child_changes),
        family=FAMILY,
        referral=r.Referral(
            on=on,
            source=r.ReferralSource.EDUCATION_NATIONALE,
            reasons=(r.ReferralReason.LEARNING,),
            referrer="Directrice de l'école",
        ),
    )


def decision(on: dt.date, team: str = "eps-salon", **extra: object) -> r.TeamDecision:
    return r.TeamDecision(team_id=team, on=on, members_present=("coord", "ien"), **extra)  # type: ignore[arg-type]


CONSENT_ON = D(2017, 10, 9)
ACTION_START = D(2017, 11, 15)


def consent(on: dt.date = CONSENT_ON, **extra: object) -> r.ConsentGiven:
    return r.ConsentGiven(consent=r.Consent(id="acc-1", on=on, given_by=("g-1",), **extra))  # type: ignore[arg-type]


def objective_set(on: dt.date, oid: str = "obj-1") -> r.ObjectiveSet:
    return r.ObjectiveSet(
        on=on,
        objective=r.Objective(id=oid, domain=r.ObjectiveDomain.SCHOOL, label="Lire couramment"),
    )


def action(oid: str = "obj-1", aid: str = "act-1", start: dt.date = ACTION_START) -> r.Action:
    return r.Action(
        id=aid,
        label="Aide aux devoirs",
        objective_ids=(oid,),
        funding=r.ActionFunding.PRE_FUNDED,
        start=start,
        cost_cents=12_000,
        family_share_cents=4_000,
    )


def to_state(programme: r.Programme, state: r.State) -> r.Pathway:
    """A hand-built pathway brought to ``state`` along the main road."""
    road: list[tuple[r.State, r.Event]] = [
        (r.State.CONSENTED, consent()),
        (r.State.ASSESSED, r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20)))),
        (r.State.ASSESSED, objective_set(D(2017, 10, 20))),
        (r.State.ADMITTED, r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-a")),
        (r.State.ACTIVE, r.Started(on=D(2017, 11, 13))),
        (r.State.ACTIVE, r.ActionPlanned(on=D(2017, 11, 13), action=action())),
        (
            r.State.EXIT_PROPOSED,
            r.ExitProposed(on=D(2018, 6, 1), reason=r.ExitReason.OBJECTIVES_MET),
        ),
    ]
    if state is r.State.SUSPENDED:  # a detour from the road: an active pathway paused
        pause = r.Suspended(on=D(2018, 2, 5), reason=r.SuspensionReason.HOSPITALISATION)
        return r.apply(to_state(programme, r.State.ACTIVE), pause)
    p = r.open_pathway(programme, referred())
    for reached, event in road:
        if p.state is state and reached is not state:
            break
        p = r.apply(p, event)
        assert p.state is reached
    assert p.state is state
    return p


@attrs.frozen
class LedgerScore:
    """How the default budget rules did on a hand-labelled ledger."""

    lines: int
    right: int
    unclassified: int
    wrong: int
    misses: tuple[str, ...]

    def share(self, count: int) -> float:
        return count / self.lines


def score_labelled_ledger(
    path: Path, title: str, *, nature_column: str | None = None
) -> LedgerScore:
    """Classify every line of a labelled ledger and print the score and the misses.

    *Attendu* holds the expected category; with ``nature_column``, the line is right only
    when its nature (``numéraire`` / ``en nature``) is right too. A line a rule decided
    otherwise is *confidently wrong*.
    """
    from reussite.budget import Nature, classify, load_ledger

    natures = {"numéraire": Nature.CASH, "en nature": Nature.IN_KIND}
    ledger = load_ledger(path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(ledger.lines) == len(rows)
    outcome: Counter[str] = Counter()
    misses = []
    for line, row in zip(ledger.lines, rows, strict=True):
        c = classify(line)
        wanted = row["Attendu"]
        nature = natures[row[nature_column]] if nature_column else c.nature
        expected = f"{wanted}, {nature.value}" if nature_column else wanted
        if c.category.value == wanted and c.nature is nature:
            outcome["right"] += 1
        elif not c.classified:
            outcome["unclassified"] += 1
            misses.append(f"unclassified: {line.label!r} (expected {expected})")
        else:
            outcome["wrong"] += 1
            got = f"{c.category.value}, {c.nature.value}" if nature_column else c.category.value
            misses.append(f"wrong: {line.label!r} → {got} [{c.rule_id}] (expected {expected})")
    score = LedgerScore(
        lines=len(rows),
        right=outcome["right"],
        unclassified=outcome["unclassified"],
        wrong=outcome["wrong"],
        misses=tuple(misses),
    )
    print(  # noqa: T201 - the score is reported by design
        f"\n{title}, {score.lines} lines: {score.share(score.right):.1%} right,"
        f" {score.share(score.unclassified):.1%} unclassified,"
        f" {score.share(score.wrong):.1%} confidently wrong"
    )
    print("\n".join(misses))  # noqa: T201
    return score


def renamed_events(events: Iterable[r.Event], *, pathway_id: str, child_id: str) -> list[r.Event]:
    """A pathway's events under new ids: its referral's, and those of a correction of it."""

    def rename(e: r.Referred) -> r.Referred:
        return attrs.evolve(e, pathway_id=pathway_id, child=attrs.evolve(e.child, id=child_id))

    out: list[r.Event] = []
    for e in events:
        if isinstance(e, r.Referred):
            e = rename(e)
        elif isinstance(e, r.Corrected) and isinstance(e.replacement, r.Referred):
            e = attrs.evolve(e, replacement=rename(e.replacement))
        out.append(e)
    return out


def register_valid(pathways: Iterable[r.Pathway]) -> list[r.Pathway]:
    """The pathways, each one that breaks a rule of the register given a child of its own.

    Drawn cohorts share a small pool of children so that some have several pathways; a
    pathway that would overlap another of its child (or give the child another birth date)
    is replayed for a new child, so the cohort passes :func:`reussite.check_register`.
    """
    register = r.Register()
    out: list[r.Pathway] = []
    for i, p in enumerate(pathways):
        try:
            register.check(p)
        except r.RegisterConflict:
            events = renamed_events(p.history, pathway_id=p.id, child_id=f"{p.child.id}-own{i}")
            p = r.replay(events, programme=p.programme)
            register.check(p)
        out.append(p)
    return out


def distinct(pathways: Iterable[r.Pathway]) -> list[r.Pathway]:
    """The pathways under distinct ids: the first as it is, the i-th for child ``<id>-i``.

    Copies of one pathway in a cohort break the register's rules (a pathway once, one
    open pathway per child); renamed, they are a valid cohort of different children.
    """
    out: list[r.Pathway] = []
    for i, p in enumerate(pathways):
        if i:
            events = renamed_events(
                p.history, pathway_id=f"{p.id}-{i}", child_id=f"{p.child.id}-{i}"
            )
            p = r.replay(events, programme=p.programme)
        out.append(p)
    return out


class InlinePool:
    """A process pool that runs each task here: shards without the processes (fast tests)."""

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


_ADDED_IN_4 = frozenset({"recorded_on", "joined_on", "left_on", "fte_changes"})


def as_version_3(value: Any) -> Any:
    """``value`` (parsed JSON) without the keys version 4 added: events' ``recorded_on``,
    referents' ``joined_on``, ``left_on`` and ``fte_changes``."""
    if isinstance(value, dict):
        return {k: as_version_3(v) for k, v in value.items() if k not in _ADDED_IN_4}
    if isinstance(value, list):
        return [as_version_3(v) for v in value]
    return value
