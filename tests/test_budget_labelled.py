"""The default rules measured on a hand-labelled ledger of coordinators' lines.

``tests/data/budget-labelled-ledger.csv`` holds 346 lines as PRE coordinators and
finance officers write them: M57 and M14 exports (abbreviations, upper case), an
association's PCG / ANC 2018-06 accounts, CERFA 12156 references and 104 lines without
an account code (typos, misleading words). The *Attendu* column is the category a
finance officer gives each line; it was written and committed before the classifier was
run on the file. Conventions: food for activities is supplies; transport of people is
travel; services bought for children and families (activities, health professionals'
sessions, interpreters) are service provision; a grant given is grants to partners; a
receipt is classified by who pays.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from reussite.budget import classify, load_ledger

LEDGER = Path(__file__).parent / "data" / "budget-labelled-ledger.csv"


def test_the_default_rules_score_on_the_labelled_ledger() -> None:
    ledger = load_ledger(LEDGER)
    with LEDGER.open(encoding="utf-8", newline="") as handle:
        expected = [row["Attendu"] for row in csv.DictReader(handle, delimiter=";")]
    assert len(ledger.lines) == len(expected) >= 300
    outcome: Counter[str] = Counter()
    misses = []
    for line, wanted in zip(ledger.lines, expected, strict=True):
        c = classify(line)
        if c.category.value == wanted:
            outcome["right"] += 1
        elif not c.classified:
            outcome["unclassified"] += 1
            misses.append(f"unclassified: {line.label!r} (expected {wanted})")
        else:
            outcome["wrong"] += 1
            misses.append(f"wrong: {line.label!r} → {c.category.value} [{c.rule_id}]")
    n = len(expected)
    right, wrong = outcome["right"] / n, outcome["wrong"] / n
    print(  # noqa: T201 - the score is reported by design
        f"\nlabelled ledger, {n} lines: {right:.1%} right,"
        f" {outcome['unclassified'] / n:.1%} unclassified, {wrong:.1%} confidently wrong"
    )
    print("\n".join(misses))  # noqa: T201
    assert right >= 0.97, misses
    assert wrong <= 0.01, misses
    assert ledger.ignored_columns == ("Attendu",)
    assert {line.year for line in ledger.lines} == {2023, 2024}
    assert sum(1 for line in ledger.lines if line.account_code is None) == 104
