"""The Pays Salonais PRE's 2018 budget, summarised from an invented but plausible ledger.

The seed (an evaluation of the Pays Salonais PRE, 2018) gives the funding, 150,000 € from
the State (CGET), 86,500 € in cash and 30,000 € of indirect costs from the metropolis,
premises lent by the cities, and the expense split: 83 % staff, 10 % services, 3 %
training, 4 % "fournitures non stockées". The `budget` sample shipped with reussite
(`reussite.samples`) is a ledger whose lines add up to exactly those figures; this script
reads it and prints the summary:

    python examples/budget_seed.py            # French summary
    python examples/budget_seed.py --cerfa    # the CERFA 12156 budget table
"""

from __future__ import annotations

import sys

from reussite.budget import BudgetSummary, load_ledger
from reussite.samples import sample_path

LEDGER = sample_path("budget")
#: Children followed in the school year 2017/2018 (the seed: "192 enfants suivis").
CHILDREN_FOLLOWED = 192


def summary() -> BudgetSummary:
    """The seed's budget summary, computed from the ledger."""
    ledger = load_ledger(LEDGER)
    return BudgetSummary.from_lines(ledger.lines, children_followed=CHILDREN_FOLLOWED)


def main(argv: list[str] | None = None) -> int:
    """Print the summary (or the CERFA table with ``--cerfa``); return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    result = summary()
    print(result.to_cerfa_text() if "--cerfa" in args else result.to_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
