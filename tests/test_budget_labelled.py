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

from pathlib import Path

from conftest import score_labelled_ledger
from reussite.budget import load_ledger

LEDGER = Path(__file__).parent / "data" / "budget-labelled-ledger.csv"


def test_the_default_rules_score_on_the_labelled_ledger() -> None:
    ledger = load_ledger(LEDGER)
    assert len(ledger.lines) >= 300
    score = score_labelled_ledger(LEDGER, "labelled ledger")
    assert score.share(score.right) >= 0.97, score.misses
    assert score.share(score.wrong) <= 0.01, score.misses
    assert ledger.ignored_columns == ("Attendu",)
    assert {line.year for line in ledger.lines} == {2023, 2024}
    assert sum(1 for line in ledger.lines if line.account_code is None) == 104
