"""A budget line as a source states it: side, amount, label, account, funder."""

from __future__ import annotations

import math
from typing import Any

import attrs

from .. import _validate as v
from ..errors import InvalidValue
from ._categories import Chart, Nature, Side, Stage

__all__ = ["BudgetLine", "Quantity"]

_ACCOUNT_CODE = v.pattern(
    r"[0-9a-z]{1,20}",
    "an account code of 1-20 lowercase letters or digits such as '6414' or '74epci'"
    " (normalise_account_code cleans '64 14' or '74EPCI')",
)


def _positive_number(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidValue(type(inst).__name__, attr.name, value, "a finite number > 0")


@attrs.frozen(kw_only=True)
class Quantity:
    """An amount that is not money: ``500`` hours of sessional work (*vacations*).

    Attributes:
        value: how many, a finite number > 0.
        unit: of what, as the source says it (``"heures"``, ``"h"``, ``"jours"``).

    >>> Quantity(value=500, unit="heures")
    Quantity(value=500, unit='heures')
    >>> Quantity(value=0, unit="heures")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: Quantity.value: expected a finite number > 0, got 0
    """

    value: int | float = attrs.field(validator=_positive_number)
    unit: str = attrs.field(validator=v.text(max_length=40))

    def __str__(self) -> str:
        shown = f"{self.value:g}".replace(".", ",")
        return f"{shown} {self.unit}"


@attrs.frozen(kw_only=True)
class BudgetLine:
    """One line of a PRE budget or ledger (*ligne budgétaire*), as its source states it.

    A line is measured by an amount in euro cents, a share of a total (``0.83`` for the
    seed's "83 % charges de personnels") or a quantity (``500`` hours), or several of
    them. A line with none of the three must be in kind: a contribution the source
    names without valuing it, as the seed's cities lending premises.

    Attributes:
        side: expense or funding (:class:`Side`).
        label: the source's own text (*libellé*), kept verbatim.
        amount_cents: the amount in euro cents (``1_250_000`` for 12,500.00 €), or None.
        share: the share of the side's total the source states, in (0, 1], or None.
        quantity: a non-money measure such as 500 hours, or None.
        account_code: normalised account code (``"6414"``, ``"74epci"``), or None.
        chart: the chart of accounts the code belongs to (:class:`Chart`).
        funder: the funder's name as the source writes it (*financeur*), or None.
        nature: cash or in kind if the source says so; None lets the rules decide.
        year: the budget year (*exercice*), or None.
        group: the source's own grouping of the line ("fournitures non stockées").
        source_row: where the line came from (line number in a ledger file), or None.
        stage: whether the amount is the forecast (*prévisionnel*) or the actual
            (*réalisé*); None when the source does not say. A summary never adds the two.
        action: the action (*fiche action*) the line belongs to, for the cost per
            action; None when the budget is not split by action.
        note: the source's comment on the line (why the actual differs from the
            forecast, for the *compte rendu financier*), or None.

    >>> line = BudgetLine(side=Side.EXPENSE, label="Vacations orthophoniste",
    ...                   amount_cents=1_250_000, account_code="6414", chart=Chart.M57,
    ...                   quantity=Quantity(value=500, unit="heures"))
    >>> line.valued
    True
    >>> BudgetLine(side=Side.FUNDING, label="Ville de Berre-l'Étang")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: BudgetLine.amount_cents: expected an amount, a share \
or a quantity (or nature=Nature.IN_KIND for an in-kind contribution without a \
valuation), got None
    """

    side: Side = attrs.field(validator=v.member(Side))
    label: str = attrs.field(validator=v.text(max_length=500, multiline=True))
    amount_cents: int | None = attrs.field(default=None, validator=v.optional(v.cents()))
    share: float | None = attrs.field(default=None, validator=v.optional(v.fraction()))
    quantity: Quantity | None = attrs.field(default=None, validator=v.optional(v.typed(Quantity)))
    account_code: str | None = attrs.field(default=None, validator=v.optional(_ACCOUNT_CODE))
    chart: Chart = attrs.field(default=Chart.UNKNOWN, validator=v.member(Chart))
    funder: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=200)))
    nature: Nature | None = attrs.field(default=None, validator=v.optional(v.member(Nature)))
    year: int | None = attrs.field(
        default=None, validator=v.optional(v.integer(min_value=1990, max_value=2100))
    )
    group: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=200)))
    source_row: int | None = attrs.field(default=None, validator=v.optional(v.integer(min_value=1)))
    stage: Stage | None = attrs.field(default=None, validator=v.optional(v.member(Stage)))
    action: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=200)))
    note: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=1000)))

    def __attrs_post_init__(self) -> None:
        measured = (
            self.amount_cents is not None or self.share is not None or self.quantity is not None
        )
        if not measured and self.nature is not Nature.IN_KIND:
            raise InvalidValue(
                "BudgetLine",
                "amount_cents",
                None,
                "an amount, a share or a quantity (or nature=Nature.IN_KIND for an"
                " in-kind contribution without a valuation)",
            )

    @property
    def valued(self) -> bool:
        """Whether the line has an amount in euros (``False`` for unvalued in kind)."""
        return self.amount_cents is not None
