"""Numbers as French reports print them: a space between thousands, a decimal comma.

One formatter for every report (indicators, budget): rounding is half up, as a reader
rounding by hand would (2,5 → 3), on the decimal value written, not its binary float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["number_fr"]


def number_fr(value: Decimal | float | int, places: int = 0) -> str:
    """``value`` rounded half up to ``places`` decimals, French style (*1 234,5*).

    >>> number_fr(1234.56, 1), number_fr(2.5), number_fr(Decimal("-0.05"), 2)
    ('1 234,6', '3', '-0,05')
    >>> number_fr(10**30, 2)
    '1 000 000 000 000 000 000 000 000 000 000,00'
    """
    # A float is read as the shortest decimal that reads back as it (0.1, not 0.1000…).
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"{value!r} is not a number a report can print")
    # Enough digits for any size (the default context holds 28 and would refuse more).
    digits = Context(prec=max(28, exact.adjusted() + places + 2))
    rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, digits)
    whole, _, fraction = f"{rounded.copy_abs():f}".partition(".")  # exact, as quantized
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)]
    sign = "-" if rounded < 0 else ""  # what rounds to zero prints without a sign
    number = sign + " ".join(reversed(groups))
    return f"{number},{fraction}" if fraction else number
