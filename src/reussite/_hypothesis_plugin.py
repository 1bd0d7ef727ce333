"""The ``hypothesis`` entry point: registers reussite's strategies with Hypothesis.

Hypothesis runs :func:`_hypothesis_setup_hook` while it is itself being imported, which may
happen in the middle of ``import reussite.strategies``. So the hook imports nothing of
:mod:`reussite.strategies`: each registration is deferred until a value is first drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _public_types() -> list[type]:
    import reussite

    names = [
        "Action", "Assessment", "Child", "Consent", "Eligibility", "Exit", "ExitProposal",
        "Family", "Guardian", "Handover", "Lifecycle", "NotTakenOn", "Objective", "Pathway",
        "Programme", "ProgrammeRules", "Reassessment", "Referent", "Referral", "Review",
        "Rule", "Situation", "SupportTeam", "Suspension", "TeamDecision", "Territory",
        "Transition", "Event",
    ]  # fmt: skip
    kinds: list[type] = [getattr(reussite, name) for name in names]
    kinds.extend(reussite.EVENT_TYPES.values())
    return kinds


def _strategy_for(kind: type) -> Any:
    from reussite.strategies import _type_strategies

    return _type_strategies()[kind]


def _deferred(kind: type) -> Callable[[], Any]:
    return lambda: _strategy_for(kind)


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every public type, so ``st.from_type(Pathway)`` works.

    Hypothesis calls it when it is imported, through the ``hypothesis`` entry point
    declared in ``pyproject.toml`` (``HYPOTHESIS_NO_PLUGINS=1`` turns that off). It also has
    events print on one line in Hypothesis's reports.
    """
    from hypothesis import strategies as st
    from hypothesis.vendor.pretty import for_type_by_name

    import reussite

    for kind in _public_types():
        st.register_type_strategy(kind, st.deferred(_deferred(kind)))
    for event in reussite.EVENT_TYPES.values():
        for_type_by_name(event.__module__, event.__name__, _one_line)


def _one_line(event: object, printer: Any, cycle: bool) -> None:
    printer.text(repr(event))
