"""Random histories biased toward breaking the rules: what the library accepts is sound.

A generator of its own (not the kit's valid walks alone) sends each pathway a mix of
valid events and events gone wrong: wrong order, dates going backwards, a consent that
lapses, duplicates, events after the end, corrections of any version (corrections of
corrections included), events built for another pathway. Every event is either refused
with a :class:`~reussite.ReussiteError`, or accepted, and then the pathway passes
:func:`~reussite.testing.check_invariants`, replays to itself, and reads back equal from
its JSON document.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import reussite as r
from conftest import scaled
from reussite.serialization import dump_pathway, load_pathway
from reussite.strategies import events, pathways
from reussite.strategies._walks import _BUILDERS, _KINDS, _NEEDS, _fixes, _possible
from reussite.testing import check_invariants

_ANY_KIND = (*_KINDS, r.Corrected)


def _redated(event: r.Event, on: dt.date) -> r.Event:
    if isinstance(event, r.ConsentGiven) and event.consent.valid_until is not None:
        until = event.consent.valid_until + (on - event.on)  # the same length, moved
        consent = attrs.evolve(event.consent, on=on, valid_until=until)
        return attrs.evolve(event, consent=consent)
    for name in ("consent", "review", "handover", "assessment", "situation"):
        record = getattr(event, name, None)
        if record is not None:
            return attrs.evolve(event, **{name: attrs.evolve(record, on=on)})
    if isinstance(event, r.Admitted | r.Redirected | r.ExitRejected | r.ExitValidated):
        return attrs.evolve(event, decision=attrs.evolve(event.decision, on=on))
    if isinstance(event, r.Reassessed):
        return attrs.evolve(event, decision=attrs.evolve(event.decision, on=on))
    if isinstance(event, r.Referred):
        return attrs.evolve(event, referral=attrs.evolve(event.referral, on=on))
    return attrs.evolve(event, on=on)


@st.composite
def messy_event(draw: st.DrawFn, p: r.Pathway) -> r.Event:
    """An event for ``p``: valid, or broken in one of the ways real data breaks."""
    how = draw(
        st.sampled_from(
            (
                "valid",
                "valid",
                "any kind",
                "limit the consent",
                "backwards",
                "far later",
                "duplicate",
                "correction",
                "wild correction",
                "correct a correction",
                "stranger",
            )
        )
    )
    on = p.last_event_on + dt.timedelta(days=draw(st.integers(0, 60)))
    possible = [k for k in _KINDS if _possible(p, k)]
    if how == "valid" and possible:
        return draw(events(pathway=p, kinds=possible))
    if how in ("valid", "any kind", "backwards", "far later"):
        buildable = [k for k in _KINDS if k not in _NEEDS or _NEEDS[k](p)]
        event = _BUILDERS[draw(st.sampled_from(buildable))](draw, p, on)
        if how == "backwards":
            return _redated(event, p.last_event_on - dt.timedelta(days=draw(st.integers(1, 400))))
        if how == "far later":  # past a consent's end, a suspension's expected end...
            return _redated(event, on + dt.timedelta(days=draw(st.integers(200, 900))))
        return event
    if how == "limit the consent":  # correct a consent into one that lapses soon
        versions = [v for v, e in enumerate(p.history, 1) if isinstance(e, r.ConsentGiven)]
        if versions:
            version = draw(st.sampled_from(versions))
            target = p.history[version - 1]
            assert isinstance(target, r.ConsentGiven)
            until = target.on + dt.timedelta(days=draw(st.integers(0, 120)))
            short = attrs.evolve(target, consent=attrs.evolve(target.consent, valid_until=until))
            return r.Corrected(
                on=max(on, target.on),
                corrected_version=version,
                replacement=short,
                reason="durée de l'accord",
                by="coord",
            )
        how = "correction"
    if how == "duplicate":
        return draw(st.sampled_from(p.history))
    if how == "correction":
        version, fix = draw(st.sampled_from(_fixes(p)))
        return r.Corrected(
            on=max(on, p.history[version - 1].on),
            corrected_version=version,
            replacement=fix(draw),
            reason="saisie",
            by="coord",
        )
    if how in ("wild correction", "correct a correction"):
        corrections = [i for i, e in enumerate(p.history, 1) if isinstance(e, r.Corrected)]
        pool = corrections if how == "correct a correction" and corrections else None
        version = draw(st.sampled_from(pool)) if pool else draw(st.integers(1, p.version + 1))
        replacement = draw(
            st.none()
            | st.sampled_from(p.history).filter(lambda e: not isinstance(e, r.Corrected))
            | st.sampled_from(_KINDS).flatmap(
                lambda k: st.just(None) if k is r.Referred else events(kinds=(k,))
            )
        )
        if replacement is not None and draw(st.booleans()):
            replacement = _redated(replacement, on - dt.timedelta(days=draw(st.integers(0, 90))))
        return r.Corrected(
            on=on, corrected_version=version, replacement=replacement, reason="saisie", by="c"
        )
    return draw(events(kinds=(draw(st.sampled_from(_ANY_KIND)),)))


def _sound(p: r.Pathway) -> None:
    check_invariants(p)
    assert r.replay(p.history, programme=p.programme) == p


@settings(max_examples=scaled(240), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_history_the_library_accepts_keeps_every_invariant(data):
    p = data.draw(pathways(max_events=10), label="opening")
    for _ in range(data.draw(st.integers(1, 25), label="events")):
        event = data.draw(messy_event(p))
        try:
            p = r.apply(p, event, expected_version=p.version)
        except r.ReussiteError:
            continue
        _sound(p)
    assert load_pathway(dump_pathway(p)) == p


def test_the_generator_reaches_lapses_suspensions_and_corrections():
    """The mix above is only worth it if it meets what issue 13 is about."""
    seen: set[str] = set()
    expected = {"R-CONSENT-FIRST", "R-CHRONOLOGY", "R-FINAL", "R-CORRECTION", "corrected"}

    class AllMet(Exception):
        """Every case looked for was met: the search can stop."""

    @settings(
        max_examples=80,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        p = data.draw(st.from_type(r.Pathway))
        for _ in range(15):
            event = data.draw(messy_event(p))
            try:
                p = r.apply(p, event)
            except r.ReussiteError as error:
                seen.add(getattr(error, "rule", type(error).__name__))
                continue
            seen.add(event.tag)
            seen.add(p.state.value)
        if expected <= seen:  # after its draws: the example replays the same
            raise AllMet

    with contextlib.suppress(AllMet):
        walk()
    assert expected <= seen, sorted(seen)
