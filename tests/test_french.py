"""French number formatting: one formatter, read back exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reussite._french import number_fr
from reussite.budget import format_euros


def _read_back(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4), st.integers(0, 3))
def test_a_number_reads_back_as_its_value_rounded_half_up(value: Decimal, places: int) -> None:
    text = number_fr(value, places)
    quantum = Decimal(1).scaleb(-places)
    wide = Context(prec=200)
    assert _read_back(text) == value.quantize(quantum, ROUND_HALF_UP, wide)
    whole = text.lstrip("-").partition(",")[0]
    assert all(len(group) == 3 for group in whole.split(" ")[1:])  # thousands grouped
    assert 1 <= len(whole.split(" ")[0]) <= 3


@given(st.integers(-(10**40), 10**40))
def test_euros_are_cents_with_two_decimals(cents: int) -> None:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    assert format_euros(cents) == f"{sign}{euros:,}".replace(",", " ") + f",{rest:02d} €"


def test_floats_round_on_the_decimal_written() -> None:
    assert number_fr(2.675, 2) == "2,68"  # the binary float is 2.67499…: we round what is written
    assert number_fr(0.5) == "1"
    assert number_fr(-1234.5) == "-1 235"
    assert number_fr(1e30) == "1 000 000 000 000 000 000 000 000 000 000"
    assert number_fr(Decimal("18308734994294264962582419.7350"), 3) == (
        "18 308 734 994 294 264 962 582 419,735"
    )


def test_what_rounds_to_zero_prints_without_a_sign() -> None:
    assert number_fr(-0.004, 2) == "0,00"
    assert number_fr(-0.4) == "0"
    assert number_fr(Decimal("-0")) == "0"
    assert number_fr(-0.005, 2) == "-0,01"  # half up: away from zero


def test_only_finite_numbers_print() -> None:
    for value in (float("nan"), float("inf"), Decimal("-Infinity")):
        with pytest.raises(ValueError, match="not a number a report can print"):
            number_fr(value)


def test_numbers_of_any_length_are_grouped() -> None:
    text = number_fr(Decimal("1e5000"))
    assert text.startswith("100 000 ")  # 5,001 digits: groups of three from the left too
    assert text.endswith(" 000")
    assert len(text.replace(" ", "")) == 5001
