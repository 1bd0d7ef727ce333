"""Exact money arithmetic: euro formatting and shares that add up to 100."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .._french import number_fr
from ..errors import InvalidValue

__all__ = ["format_euros", "format_percent", "largest_remainder", "round_half_up"]


def format_euros(cents: int) -> str:
    """Format an amount of euro cents the French way (*1 234,56 €*).

    >>> format_euros(23_650_000)
    '236 500,00 €'
    >>> format_euros(-5)
    '-0,05 €'
    """
    return f"{number_fr(Decimal(f'{cents}e-2'), 2)} €"  # exact, whatever the size


def format_percent(value: Decimal) -> str:
    """Format a percentage the French way (*63,4 %*).

    >>> format_percent(Decimal("63.4")), format_percent(Decimal("83"))
    ('63,4 %', '83 %')
    """
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{number_fr(value, places)} %"


def round_half_up(value: Fraction, decimals: int = 0) -> Decimal:
    """Round an exact ratio to ``decimals`` places, halves away from zero.

    >>> round_half_up(Fraction(150_000, 236_500) * 100, 1)
    Decimal('63.4')
    """
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def largest_remainder(amounts: Sequence[int], *, decimals: int = 0) -> tuple[Decimal, ...]:
    """Percentages of ``amounts`` rounded so that they add up to exactly 100.

    The rule (Hamilton's largest-remainder method): every share is rounded down to
    ``decimals`` places, then the units still missing to reach 100 go one each to the
    shares with the largest remainders (ties: the larger amount, then the earlier one).
    When the total is zero every share is 0.

    Args:
        amounts: non-negative amounts (cents).
        decimals: decimal places shown (0 gives whole percents).

    Returns:
        One percentage per amount, in the same order.

    Raises:
        InvalidValue: an amount is negative or ``decimals`` is not 0 to 4.

    >>> largest_remainder([196_295_00, 23_650_00, 7_095_00, 9_460_00])
    (Decimal('83'), Decimal('10'), Decimal('3'), Decimal('4'))
    >>> largest_remainder([1, 1, 1])
    (Decimal('34'), Decimal('33'), Decimal('33'))
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise InvalidValue("largest_remainder", "decimals", decimals, "an int from 0 to 4")
    if any(isinstance(a, bool) or not isinstance(a, int) or a < 0 for a in amounts):
        raise InvalidValue("largest_remainder", "amounts", amounts, "integers >= 0")
    total = sum(amounts)
    scale = 100 * 10**decimals
    if total == 0:
        return tuple(Decimal(0).scaleb(-decimals) for _ in amounts)
    floors = [a * scale // total for a in amounts]
    remainders = [a * scale % total for a in amounts]
    missing = scale - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: (-remainders[i], -amounts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return tuple(Decimal(units).scaleb(-decimals) for units in floors)
