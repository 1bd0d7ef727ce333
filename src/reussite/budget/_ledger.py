"""Read ledger exports (CSV, French conventions) into budget lines, losing no row."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .. import _validate as v
from ..errors import InvalidInput, InvalidValue
from ._categories import Chart, Nature, Side, Stage
from ._line import BudgetLine, Quantity
from ._text import normalise_account_code, normalise_text

__all__ = ["Ledger", "LedgerError", "load_ledger", "parse_amount", "read_ledger"]

#: Header names accepted for each field, in normalised form (see normalise_text).
HEADERS: Mapping[str, tuple[str, ...]] = {
    "side": ("sens", "type", "depense recette", "depense ou recette", "type de ligne",
             "mouvement", "sens comptable", "charge produit", "d r"),
    "year": ("exercice", "annee", "annee budgetaire", "exercice budgetaire", "millesime"),
    "chart": ("nomenclature", "referentiel", "plan de comptes", "plan comptable",
              "instruction", "instruction comptable", "nomenclature comptable"),
    "account_code": ("compte", "numero de compte", "n compte", "no compte", "num compte",
                     "n de compte", "imputation", "article", "nature", "code nature",
                     "compte nature", "compte budgetaire", "ligne cerfa"),
    "label": ("libelle", "intitule", "designation", "objet", "libelle de l ecriture",
              "libelle de la ligne", "description"),
    "group": ("regroupement", "rubrique", "poste", "poste budgetaire", "categorie",
              "groupe"),
    "funder": ("financeur", "financeurs", "tiers", "organisme", "organisme financeur",
               "origine", "origine du financement"),
    "nature": ("forme", "forme de l aide", "forme de la contribution", "numeraire nature",
               "numeraire ou nature", "type de contribution", "nature de la contribution"),
    "amount": ("montant", "montant ttc", "somme"),
    "forecast": ("previsionnel", "montant previsionnel", "budget previsionnel", "prevision",
                 "previsions", "bp", "budget primitif", "prevu", "montant prevu",
                 "montant budgete", "budgete"),
    "actual": ("realise", "montant realise", "realisation", "realisations", "execute",
               "montant execute", "ca", "compte administratif", "mandate", "montant mandate",
               "reel", "montant reel"),
    "stage": ("stade", "etape", "phase", "prevu ou realise", "previsionnel ou realise",
              "type de montant"),
    "action": ("action", "fiche action", "action financee", "projet", "intitule de l action",
               "nom de l action"),
    "note": ("explication", "explications", "explication de l ecart", "justification",
             "justification de l ecart", "motif de l ecart", "commentaire", "commentaires",
             "observation", "observations"),
    "quantity": ("quantite", "volume"),
    "unit": ("unite",),
    "share": ("part", "pourcentage", "part du total"),
}  # fmt: skip
_ALIASES = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
_UNIT_WORDS = {"eur", "euro", "euros", "e", "en", "ttc"}

_SIDES = {
    Side.EXPENSE: {"depense", "depenses", "d", "charge", "charges", "emploi", "emplois",
                   "expense", "debit"},
    Side.FUNDING: {"recette", "recettes", "r", "produit", "produits", "ressource",
                   "ressources", "financement", "financements", "funding", "credit"},
}  # fmt: skip
_NATURES = {
    Nature.CASH: {"numeraire", "en numeraire", "especes", "argent", "financier", "cash",
                  "financement direct", "direct"},
    Nature.IN_KIND: {"nature", "en nature", "in kind", "valorisation", "contribution en nature",
                     "non financier", "indirect", "financement indirect"},
}  # fmt: skip
_STAGES = {
    Stage.FORECAST: {"previsionnel", "prevision", "prevu", "bp", "budget primitif",
                     "budget previsionnel", "forecast", "p"},
    Stage.ACTUAL: {"realise", "realisation", "reel", "execute", "ca", "compte administratif",
                   "actual", "r"},
}  # fmt: skip
_CHARTS = {
    Chart.PCG: {"pcg", "plan comptable general", "crc 99 01", "crc 9901"},
    Chart.PCG_ASSO_2018: {"pcg asso", "pcg associations", "pcg associations 2018",
                          "anc 2018 06", "pcg asso 2018", "associations"},
    Chart.M57: {"m57", "m 57"},
    Chart.M14: {"m14", "m 14"},
    Chart.CERFA: {"cerfa", "cerfa 12156", "dauphin", "cerfa 12156 06"},
    Chart.UNKNOWN: {"inconnu", "inconnue", "unknown", "autre"},
}  # fmt: skip

_CURRENCY = re.compile(r"[ \u00a0\u202f]*(€|eur(os?)?)$", re.IGNORECASE)
_SPACE_GROUPS = " \u00a0\u202f\u2009\u2007"  # space, no-break, narrow, thin, figure
_APOSTROPHES = "'’"
_NUMBER_CHARS = re.compile(rf"[0-9.,{_SPACE_GROUPS}{_APOSTROPHES}]+")
_QUANTITY = re.compile(
    rf"(?P<number>[0-9][0-9.,{_SPACE_GROUPS}]*[0-9]|[0-9])[ ]*(?P<unit>[^0-9 .,].*)?"
)


@attrs.frozen(kw_only=True)
class LedgerError:
    """One problem found in a ledger file: where, which column, what value, why.

    Attributes:
        line: the line number in the file (1 is the header).
        column: the column's header as written, or None for a whole-row problem.
        value: the rejected text, or None.
        message: what is expected, in words.

    >>> str(LedgerError(line=7, column="Montant", value="12,3,4",
    ...                 message="expected an amount in euros such as 1 234,56"))
    "line 7, column 'Montant': expected an amount in euros such as 1 234,56, got '12,3,4'"
    """

    line: int = attrs.field(validator=v.integer(min_value=1))
    column: str | None = attrs.field(validator=v.optional(v.typed(str)))
    value: str | None = attrs.field(validator=v.optional(v.typed(str)))
    message: str = attrs.field(validator=v.text())

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        shown = (
            self.value if self.value is None or len(self.value) <= 60 else (self.value[:57] + "...")
        )
        got = f", got {shown!r}" if shown is not None else ""
        return f"{where}: {self.message}{got}"


@attrs.frozen(kw_only=True)
class Ledger:
    """The result of reading a ledger: good lines, and one error per bad row or cell.

    Every data row of the file is accounted for: ``rows == len(lines) + rejected`` where
    ``rejected`` counts rows with at least one error; blank rows are counted apart.

    Attributes:
        lines: the budget lines read, in file order.
        errors: every problem found, in file order.
        rows: how many non-blank data rows the file has.
        blank_rows: how many rows were entirely empty (skipped).
        ignored_columns: headers that match no known field (their values are not read).
        encoding: the encoding the file was decoded with (``"utf-8+cp1252"`` when a
            UTF-8 file has Windows-1252 lines, each named in ``warnings``).
        source: the file name, or None.
        warnings: what was read but deserves a look (a line in another encoding).
    """

    lines: tuple[BudgetLine, ...] = attrs.field(validator=v.tuple_of(v.typed(BudgetLine)))
    errors: tuple[LedgerError, ...] = attrs.field(validator=v.tuple_of(v.typed(LedgerError)))
    rows: int = attrs.field(validator=v.integer(min_value=0))
    blank_rows: int = attrs.field(default=0, validator=v.integer(min_value=0))
    ignored_columns: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of(v.typed(str)))
    encoding: str = attrs.field(default="utf-8", validator=v.text())
    source: str | None = attrs.field(default=None, validator=v.optional(v.typed(str)))
    warnings: tuple[LedgerError, ...] = attrs.field(
        default=(), validator=v.tuple_of(v.typed(LedgerError))
    )

    @property
    def years(self) -> tuple[int, ...]:
        """The budget years the lines state, in order."""
        return tuple(sorted({line.year for line in self.lines if line.year is not None}))

    @property
    def rejected_rows(self) -> int:
        """How many data rows produced an error instead of a line."""
        return len({e.line for e in self.errors if e.line > 1})

    def raise_for_errors(self) -> None:
        """Raise :class:`InvalidInput` listing every error, if there is any."""
        if self.errors:
            raise InvalidInput((str(e) for e in self.errors), source=self.source)


def parse_amount(text: str) -> int:
    """Read an amount in euros as French tools write it, into integer cents.

    The rule: digits 0-9 only, a decimal comma (``1234,56``), thousands grouped by
    three with one kind of separator: spaces (ordinary, non-breaking, narrow, thin),
    apostrophes or dots (``1 234,56``, ``1.234,56``, ``1'234,56``); a decimal point is
    accepted when no comma is used and it is followed by 1 or 2 digits (``1234.5``); a
    trailing ``€`` or ``EUR`` is ignored. At most two decimals (more only if they are
    zeros). Anything else is refused rather than guessed: ``100 50`` (is it 100,50 or
    10 050?), ``1 2 3 4,56``, ``0'3``, a tab inside the digits, digits of another
    script. Negative amounts are refused: record a refund (*atténuation de charges*)
    as a funding line.

    Args:
        text: the cell's text.

    Returns:
        The amount in euro cents.

    Raises:
        InvalidValue: the text is not such an amount.

    >>> parse_amount("236 500,00 €")
    23650000
    >>> parse_amount("1.234,5")
    123450
    >>> parse_amount("12.500")
    1250000
    >>> parse_amount("1,234")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: amount.text: expected an amount in euros such as \
'1 234,56' (digits 0-9, thousands grouped by three, at most 2 decimals), got '1,234'
    >>> parse_amount("100 50")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: amount.text: expected an amount in euros such as \
'1 234,56' (digits 0-9, thousands grouped by three, at most 2 decimals), got '100 50'
    """
    expected = AMOUNT_EXPECTED
    if not isinstance(text, str):
        raise InvalidValue("amount", "text", text, expected)
    number = _decimal(text, allow_percent=False)
    if number is None:
        raise InvalidValue("amount", "text", text, expected)
    if number < 0:
        raise InvalidValue(
            "amount", "text", text, "an amount >= 0 (record a refund as a funding line)"
        )
    cents = number * 100
    if cents != cents.to_integral_value():
        raise InvalidValue("amount", "text", text, expected)
    return int(cents)


#: What an amount cell must look like, quoted in every refusal.
AMOUNT_EXPECTED = (
    "an amount in euros such as '1 234,56' (digits 0-9, thousands grouped by three,"
    " at most 2 decimals)"
)


def _decimal(text: str, *, allow_percent: bool) -> Decimal | None:
    """Parse a French-formatted number, or None if it is not exactly one."""
    cleaned = _CURRENCY.sub("", text.strip(" \u00a0\u202f"))
    if allow_percent:
        cleaned = cleaned.removesuffix("%").rstrip(_SPACE_GROUPS)
    sign = ""
    if cleaned[:1] in ("-", "+"):
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    if not cleaned or len(cleaned) > 40 or not _NUMBER_CHARS.fullmatch(cleaned):
        return None
    if cleaned.count(",") > 1:
        return None
    if "," in cleaned:
        whole, _, decimals = cleaned.partition(",")
    else:
        head, dot, tail = cleaned.rpartition(".")
        is_decimal_point = dot and "." not in head and 1 <= len(tail) <= 2 and tail.isdigit()
        whole, decimals = (head, tail) if is_decimal_point else (cleaned, "")
    if not decimals.isdigit() and decimals:
        return None
    digits = _grouped(whole)
    if digits is None:
        return None
    return Decimal(f"{sign}{digits}.{decimals or '0'}")


def _grouped(whole: str) -> str | None:
    """The digits of ``whole``, if it is digits grouped by three with one separator."""
    separators = {("space" if c in _SPACE_GROUPS else "apostrophe" if c in _APOSTROPHES else c)
                  for c in whole if not c.isdigit()}  # fmt: skip
    if not separators:
        return whole if whole.isascii() and whole.isdigit() else None
    if len(separators) > 1:
        return None
    groups = re.split(rf"[{_SPACE_GROUPS}{_APOSTROPHES}.]", whole)
    head, rest = groups[0], groups[1:]
    if not (1 <= len(head) <= 3 and all(len(g) == 3 for g in rest)):
        return None
    digits = "".join(groups)
    return digits if digits.isascii() and digits.isdigit() else None


class _Undecodable(Exception):
    """A line is neither UTF-8 nor Windows-1252."""

    def __init__(
        self, line: int, byte: int, column: int, *, expected: str = "neither UTF-8 nor Windows-1252"
    ) -> None:
        self.error = LedgerError(
            line=line,
            column=None,
            value=None,
            message=f"the line is {expected} (byte 0x{byte:02x} at position {column + 1})",
        )


def _decode(data: bytes) -> tuple[str, str, tuple[LedgerError, ...]]:
    """Decode a ledger export: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252.

    A file is decoded line by line when it is not UTF-8 as a whole: a Windows-1252
    file then reads as such, and a UTF-8 file with a few Windows-1252 lines (pasted from
    another export) keeps its UTF-8 lines and gets a warning naming each other line,
    instead of being decoded whole as Windows-1252 ("GoÃ»ters").
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", ()
        except UnicodeDecodeError as exc:  # an odd number of bytes, a lone surrogate
            line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            raise _Undecodable(line, data[exc.start], exc.start, expected="not UTF-16") from None
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", ()
    except UnicodeDecodeError:
        pass
    texts: list[str] = []
    fallback: list[int] = []
    utf8_seen = bom
    for number, raw in enumerate(body.splitlines(keepends=True), start=1):
        try:
            texts.append(raw.decode("utf-8"))
            utf8_seen = utf8_seen or not raw.isascii()
        except UnicodeDecodeError:
            try:
                texts.append(raw.decode("cp1252"))
            except UnicodeDecodeError as exc:
                raise _Undecodable(number, raw[exc.start], exc.start) from None
            fallback.append(number)
    if not utf8_seen:
        return "".join(texts), "cp1252", ()
    warnings = tuple(
        LedgerError(
            line=number,
            column=None,
            value=texts[number - 1].rstrip("\r\n"),
            message="this line is not UTF-8 like the rest of the file: read as Windows-1252,"
            " check its accents",
        )
        for number in fallback
    )
    return "".join(texts), "utf-8+cp1252", warnings


def _header_field(header: str) -> str | None:
    words = normalise_text(header).split()
    while words and words[-1] in _UNIT_WORDS:
        words.pop()
    return _ALIASES.get(" ".join(words))


def _lookup(table: Mapping[Any, set[str]], text: str) -> Any:
    key = normalise_text(text)
    for member, spellings in table.items():
        if key in spellings:
            return member
    return None


def _infer_side(code: str | None) -> Side | None:
    if code is None:
        return None
    if code.startswith(("86", "6", "chg", "fraisfin", "autchg", "0")):
        return Side.EXPENSE
    if code.startswith(("87", "7", "resspropres", "insuf")):
        return Side.FUNDING
    return None


class _Row:
    """The cells of one data row, read field by field, collecting errors."""

    def __init__(self, line: int, cells: dict[str, tuple[str, str]]) -> None:
        self.line = line
        self.cells = cells
        self.errors: list[LedgerError] = []

    def text(self, field: str) -> str | None:
        cell = self.cells.get(field)
        if cell is None or not cell[1].strip():
            return None
        return cell[1].strip()

    def fail(self, field: str, message: str) -> None:
        column, value = self.cells.get(field, (None, None))
        self.errors.append(LedgerError(line=self.line, column=column, value=value, message=message))

    def parse(self, field: str, parser: Callable[[str], Any], message: str) -> Any:
        raw = self.text(field)
        if raw is None:
            return None
        try:
            result = parser(raw)
        except InvalidValue:
            result = None
        if result is None:
            self.fail(field, message)
        return result


def _year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"(19|20|21)[0-9][0-9]", text) else None


def _share(text: str) -> float | None:
    number = _decimal(text, allow_percent=True)
    if number is None:
        return None
    value = number / 100 if "%" in text else number
    return float(value) if 0 < value <= 1 else None


def _quantity(unit_cell: str | None) -> Callable[[str], Quantity | None]:
    def parse(text: str) -> Quantity | None:
        found = _QUANTITY.fullmatch(text.strip(" "))
        if found is None:
            return None
        number = _decimal(found["number"], allow_percent=False)
        unit = (found["unit"] or unit_cell or "").strip()
        if number is None or not unit:
            return None
        value: int | float = (
            int(number) if number == number.to_integral_value() else (float(number))
        )
        return Quantity(value=value, unit=unit)

    return parse


def _read_row(row: _Row, *, chart: Chart, year: int | None) -> list[BudgetLine]:
    code_text = row.text("account_code")
    code = None
    if code_text is not None:
        code = normalise_account_code(code_text)
        if code is None:
            row.fail("account_code", "expected an account code of letters and digits (6414)")
    side_text = row.text("side")
    side: Side | None = None
    if side_text is not None:
        side = _lookup(_SIDES, side_text)
        if side is None:
            row.fail("side", "expected 'dépense' or 'recette' (or charge/produit, D/R)")
    else:
        side = _infer_side(code)
        if side is None:
            row.fail(
                "side",
                "no side given and none implied by the account code: say 'dépense' or 'recette'",
            )
    label = row.text("label")
    if label is None:
        row.fail("label", "expected a label (libellé): a line must say what it is")
    message = f"expected {AMOUNT_EXPECTED.replace('in euros', 'in euros >= 0', 1)}"
    amounts: list[tuple[Stage | None, int | None, str | None]] = []
    if "forecast" in row.cells or "actual" in row.cells:
        for field, stage in (("forecast", Stage.FORECAST), ("actual", Stage.ACTUAL)):
            if field in row.cells and row.text(field) is not None:
                amounts.append((stage, row.parse(field, parse_amount, message), field))
        if not amounts:
            amounts.append((None, None, None))
    else:
        chosen = row.parse(
            "stage",
            lambda t: _lookup(_STAGES, t),
            "expected 'prévisionnel' or 'réalisé' (or BP/CA)",
        )
        amounts.append((chosen, row.parse("amount", parse_amount, message), "amount"))
    line_chart = row.parse(
        "chart", lambda t: _lookup(_CHARTS, t), "expected a chart: PCG, PCG asso, M57, M14, CERFA"
    )
    nature = row.parse(
        "nature", lambda t: _lookup(_NATURES, t), "expected 'numéraire' or 'en nature'"
    )
    line_year = row.parse("year", _year, "expected a year such as 2018")
    share = row.parse("share", _share, "expected a share such as '83 %' or 0.83")
    quantity = row.parse(
        "quantity",
        _quantity(row.text("unit")),
        "expected a quantity and its unit, such as '500 heures' (or a Unité column)",
    )
    if row.errors or side is None or label is None:
        return []
    lines = []
    for stated, amount, column in amounts:
        try:
            lines.append(
                BudgetLine(
                    side=side,
                    label=label,
                    amount_cents=amount,
                    share=share,
                    quantity=quantity,
                    account_code=code,
                    chart=line_chart or chart,
                    funder=row.text("funder"),
                    nature=nature,
                    year=line_year if line_year is not None else year,
                    group=row.text("group"),
                    source_row=row.line,
                    stage=stated,
                    action=row.text("action"),
                    note=row.text("note"),
                )
            )
        except InvalidValue as exc:
            where = {"amount_cents": column, "account_code": "account_code"}.get(exc.field)
            row.fail(where or exc.field, f"expected {exc.expected}")
            return []
    return lines


def read_ledger(
    data: bytes | str,
    *,
    source: str | None = None,
    strict: bool = True,
    chart: Chart = Chart.UNKNOWN,
    year: int | None = None,
) -> Ledger:
    r"""Read a ledger export (*export comptable*) into budget lines.

    The rule: fields separated by ``;`` (or tab, or ``,`` when the header has no
    ``;``), amounts with a decimal comma and any thousands separator (see
    :func:`parse_amount`), text in UTF-8 with or without BOM, UTF-16 with BOM, or
    Windows-1252. Headers are French names matched after folding case, accents and
    units (``Libellé``, ``LIBELLE``, ``Montant (€)``, ``N° compte``); see ``HEADERS``.
    A *libellé* and a *montant* column are required, and a *sens* column unless the
    account codes say the side (6x/86x expense, 7x/87x funding). Blank rows are
    skipped; every other row becomes a line or at least one error.

    Args:
        data: the file's bytes (decoded here) or its text.
        source: the file name, quoted in errors.
        strict: raise at the first file with errors (all of them listed); when False,
            return the good lines with the errors.
        chart: the chart of accounts of rows without a *nomenclature* column.
        year: the budget year of rows without an *exercice* column.

    Returns:
        The :class:`Ledger`: lines, errors, row counts.

    Raises:
        InvalidInput: ``strict`` and at least one error; one error line per problem,
            each naming the line, the column and the value.

    >>> csv_text = "Sens;Compte;Libellé;Montant\nDépense;6414;Vacations;12 500,00\n"
    >>> ledger = read_ledger(csv_text, chart=Chart.M57)
    >>> ledger.lines[0].amount_cents, ledger.lines[0].account_code
    (1250000, '6414')
    >>> read_ledger("Sens;Libellé;Montant\nDépense;Vacations;douze\n", source="x.csv")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidInput: x.csv: 1 problem:
      line 2, column 'Montant': expected an amount in euros ..., got 'douze'
    """
    if not isinstance(chart, Chart):
        raise InvalidValue("read_ledger", "chart", chart, "a Chart")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InvalidValue("read_ledger", "year", year, "an int year or None")
    warnings: tuple[LedgerError, ...] = ()
    if isinstance(data, bytes | bytearray):
        try:
            text, encoding, warnings = _decode(bytes(data))
        except _Undecodable as exc:
            return _finish(Ledger(lines=(), errors=(exc.error,), rows=0, source=source), strict)
    elif isinstance(data, str):
        text, encoding = data.removeprefix("\ufeff"), "str"
    else:
        raise InvalidValue("read_ledger", "data", data, "bytes or str")
    ledger = _parse(text, encoding=encoding, source=source, chart=chart, year=year)
    return _finish(attrs.evolve(ledger, warnings=warnings), strict)


def _finish(ledger: Ledger, strict: bool) -> Ledger:
    if strict:
        ledger.raise_for_errors()
    return ledger


def _parse(
    text: str, *, encoding: str, source: str | None, chart: Chart, year: int | None
) -> Ledger:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    errors: list[LedgerError] = []
    lines: list[BudgetLine] = []
    header: list[str] | None = None
    fields: list[str | None] = []
    rows = blank = 0
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                LedgerError(
                    line=max(start, 1),
                    column=None,
                    value=None,
                    message=f"unreadable CSV row ({exc})",
                )
            )
            rows += header is not None
            previous_end = reader.line_num
            continue
        previous_end = reader.line_num
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = cells
            fields, problems = _map_header(cells)
            if problems:
                errors.extend(
                    LedgerError(line=start, column=None, value=None, message=p) for p in problems
                )
                return Ledger(
                    lines=(), errors=tuple(errors), rows=0, encoding=encoding, source=source
                )
            continue
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        rows += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            errors.append(
                LedgerError(
                    line=start,
                    column=None,
                    value=delimiter.join(cells),
                    message=f"the row has {len(cells)} fields but the header has"
                    f" {len(header)}: a separator inside a value must be quoted",
                )
            )
            continue
        row = _Row(
            start,
            {
                f: (header[i], cells[i] if i < len(cells) else "")
                for i, f in enumerate(fields)
                if f is not None
            },
        )
        read = _read_row(row, chart=chart, year=year)
        errors.extend(sorted(row.errors, key=lambda e: _position(header, e.column)))
        lines.extend(read)
    if header is None:
        errors.append(
            LedgerError(
                line=1, column=None, value=None, message="the file is empty: expected a header row"
            )
        )
    ignored = tuple(
        h for h, f in zip(header or [], fields, strict=False) if f is None and h.strip()
    )
    return Ledger(
        lines=tuple(lines),
        errors=tuple(errors),
        rows=rows,
        blank_rows=blank,
        ignored_columns=ignored,
        encoding=encoding,
        source=source,
    )


def _position(header: list[str], column: str | None) -> int:
    """Where a column is in the header, for reporting a row's errors left to right."""
    return header.index(column) if column in header else -1


def _map_header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    fields = [_header_field(c) for c in cells]
    problems = []
    seen: dict[str, str] = {}
    for cell, field in zip(cells, fields, strict=True):
        if field is None:
            continue
        if field in seen:
            problems.append(f"columns {seen[field]!r} and {cell!r} both give the {field}: keep one")
        seen.setdefault(field, cell)
    found = ", ".join(repr(c) for c in cells)
    if "label" not in seen:
        problems.append(f"no label column: expected a header such as 'Libellé' (found {found})")
    staged = [seen[f] for f in ("forecast", "actual") if f in seen]
    if not staged and "amount" not in seen:
        problems.append(
            "no amount column: expected a header such as 'Montant', or 'Prévisionnel' and"
            f" 'Réalisé' (found {found})"
        )
    for other in ("amount", "stage"):
        if staged and other in seen:
            problems.append(
                f"columns {seen[other]!r} and {' and '.join(map(repr, staged))} both say"
                " which amount a row has: keep 'Prévisionnel'/'Réalisé', or 'Montant'"
                " with a 'Stade' column"
            )
    return fields, problems


def load_ledger(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    chart: Chart = Chart.UNKNOWN,
    year: int | None = None,
) -> Ledger:
    """Read a ledger export file; see :func:`read_ledger` for the accepted format.

    Args:
        path: the CSV file.
        strict: raise :class:`InvalidInput` listing every error (default), or return
            the good lines with the errors.
        chart: the chart of accounts of rows without a *nomenclature* column.
        year: the budget year of rows without an *exercice* column.

    Returns:
        The :class:`Ledger`.

    Raises:
        InvalidInput: ``strict`` and the file has errors.
        OSError: the file cannot be read (missing, a directory, no permission).
    """
    file = Path(path)
    return read_ledger(file.read_bytes(), source=str(path), strict=strict, chart=chart, year=year)
