"""``reussite lifecycle`` and ``reussite rules``: print the lifecycle table and the rules."""

from __future__ import annotations

import argparse
import json

from ..lifecycle import LIFECYCLE
from ..pathway import State
from ..rules import RULES
from ._common import EXIT_OK, Subparsers, add_command


def register(subparsers: Subparsers) -> None:
    """Add the ``lifecycle`` and ``rules`` sub-commands."""
    lifecycle = add_command(
        subparsers,
        "lifecycle",
        summary="le cycle de vie du parcours (états et transitions)",
        description="Affiche le cycle de vie du parcours, généré depuis la table déclarée.",
    )
    lifecycle.add_argument(
        "--format",
        choices=("text", "mermaid", "json"),
        default="text",
        help="text : en français (par défaut) ; mermaid : le diagramme ; json",
    )
    lifecycle.set_defaults(handler=_lifecycle)
    rules = add_command(
        subparsers,
        "rules",
        summary="les règles du parcours et leur code",
        description="Liste les règles du parcours avec leur code stable (R-CONSENT-FIRST…).",
    )
    rules.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text : en français (par défaut) ; json : code, anglais et français",
    )
    rules.set_defaults(handler=_rules)


def _lifecycle(args: argparse.Namespace) -> int:
    if args.format == "mermaid":
        print(LIFECYCLE.to_mermaid())
    elif args.format == "json":
        rows = [
            {"source": t.source.value, "event": t.event.tag, "target": t.target.value}
            for t in LIFECYCLE.transitions
        ]
        document = {
            "initial": LIFECYCLE.initial.value,
            "finals": sorted(s.value for s in LIFECYCLE.finals),
            "transitions": rows,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print("Cycle de vie du parcours de réussite éducative")
        for state in State:
            final = " (situation finale)" if state in LIFECYCLE.finals else ""
            print(f"\n{state.label_fr} [{state.value}]{final}")
            for t in LIFECYCLE.transitions:
                if t.source is state:
                    print(f"  {t.event.label_fr:<32} -> {t.target.label_fr}")
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    if args.format == "json":
        rows = [{"code": r.code, "en": r.en, "fr": r.fr} for r in RULES.values()]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for rule in RULES.values():
            print(f"{rule.code:<22} {rule.fr}")
    return EXIT_OK
