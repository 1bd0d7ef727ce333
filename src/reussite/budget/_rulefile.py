"""Rule files: classification rules written as TOML, read into a checked :class:`RuleSet`.

The default rules ship in this format (``reussite/budget/default_rules.toml``) and a
user's rule file uses the same one; see :func:`read_rules` for the keys.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidValue
from ._categories import CerfaLine, Chart, Envelope, ExpenseCategory, FundingCategory, Nature, Side
from ._rules import AccountRule, InvalidRuleSet, KeywordRule, Rule, RuleSet

__all__ = ["dump_rules", "load_rules", "read_rules"]

#: The version of the rule-file format this library reads and writes.
FORMAT = 1

_COMMON = ("id", "side", "category", "unless", "nature", "indirect", "cerfa", "note", "example")
_KEYS: Mapping[str, tuple[str, ...]] = {
    "account": (*_COMMON, "prefix", "chart", "when", "refine"),
    "keyword": (*_COMMON, "priority", "patterns", "envelope", "before_funder"),
}
_TOP = ("format", "extends", "drop", "account", "keyword")


class _Table:
    """One ``[[account]]`` or ``[[keyword]]`` table being read, collecting problems."""

    def __init__(self, kind: str, index: int, data: Mapping[str, Any], problems: list[str]):
        self.kind = kind
        self.data = data
        self.problems = problems
        rule_id = data.get("id")
        name = f" ({rule_id!r})" if isinstance(rule_id, str) else ""
        self.where = f"[[{kind}]] number {index}{name}"

    def fail(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def get(self, key: str, kind: type, *, required: bool = False) -> Any:
        if key not in self.data:
            if required:
                self.fail(f"the key {key!r} is required")
            return None
        value = self.data[key]
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                self.fail(f"{key!r} must be a list of strings, got {value!r}")
                return None
            return tuple(value)
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            self.fail(f"{key!r} must be a {kind.__name__}, got {value!r}")
            return None
        return value

    def member(self, key: str, enum_cls: Any, *, required: bool = False) -> Any:
        value = self.get(key, str, required=required)
        if value is None:
            return None
        return self._lookup(key, enum_cls, value)

    def members(self, key: str, enum_cls: Any) -> tuple[Any, ...]:
        values = self.get(key, list) or ()
        found = tuple(self._lookup(key, enum_cls, value) for value in values)
        return tuple(m for m in found if m is not None)

    def _lookup(self, key: str, enum_cls: Any, value: str) -> Any:
        for member in enum_cls:
            if member.value == value:
                return member
        allowed = ", ".join(repr(m.value) for m in enum_cls)
        self.fail(f"{key!r} must be one of {allowed}, got {value!r}")
        return None


def _rule(kind: str, table: _Table) -> Rule | None:
    unknown = sorted(set(table.data) - set(_KEYS[kind]))
    if unknown:
        table.fail(
            f"unknown key(s) {', '.join(map(repr, unknown))};"
            f" expected among {', '.join(_KEYS[kind])}"
        )
    side = table.member("side", Side, required=True)
    enum_cls = ExpenseCategory if side is Side.EXPENSE else FundingCategory
    category = None
    if "category" in table.data:
        category = table.member("category", enum_cls) if side is not None else None
    elif kind == "account":
        table.fail("the key 'category' is required")
    common: dict[str, Any] = {
        "id": table.get("id", str, required=True),
        "side": side,
        "category": category,
        "unless": table.get("unless", list) or (),
        "nature": table.member("nature", Nature),
        "indirect": table.get("indirect", bool) or False,
        "cerfa_line": table.member("cerfa", CerfaLine),
        "note": table.get("note", str) or "",
        "example": table.get("example", str),
    }
    if kind == "account":
        specific: dict[str, Any] = {
            "prefix": table.get("prefix", str, required=True),
            "chart": table.member("chart", Chart),
            "when": table.get("when", list) or (),
            "refine": table.members("refine", enum_cls) if side is not None else (),
        }
    else:
        specific = {
            "priority": table.get("priority", int, required=True),
            "patterns": table.get("patterns", list, required=True),
            "envelope": table.member("envelope", Envelope),
            "before_funder": table.get("before_funder", bool) or False,
        }
    if table.problems:
        return None
    try:
        if kind == "account":
            return AccountRule(**common, **specific)
        return KeywordRule(**common, **specific)
    except InvalidValue as exc:
        table.fail(f"{exc.field}: expected {exc.expected}, got {exc.value!r}")
        return None


def read_rules(text: str, *, source: str | None = None, base: RuleSet | None = None) -> RuleSet:
    r"""Read a rule file (TOML) into a checked :class:`RuleSet` (*fichier de règles*).

    The format, the same for the default rules the library ships and for a user's file::

        format = 1                 # optional: the format version
        extends = "default"        # "default" (the default): add to the base rules;
                                   # "none": these rules only
        drop = ["exp-606"]         # optional: ids of base rules to remove

        [[account]]                # an account rule (see AccountRule)
        id = "local-6068-gouters"
        side = "expense"           # or "funding"
        prefix = "6068"
        chart = "m57"              # optional: pcg, pcg_asso_2018, m57, m14, cerfa_12156
        when = ['gouters?']        # optional: label keywords (normalised regexes)
        refine = ["training"]      # optional: categories the label's keyword rules may
                                   # refine the account's decision into
        unless = []                # optional: keywords that keep the rule from applying
        category = "service_provision"
        nature = "in_kind"         # optional: cash or in_kind
        indirect = false           # optional
        cerfa = "604"              # optional: the CERFA 12156 line (Dauphin reference)
        note = "Goûters"           # optional: the account's label, quoted in explanations
        example = "Goûters"        # optional: a label the rule must decide (checked)

        [[keyword]]                # a keyword rule (see KeywordRule)
        id = "local-cantine"
        side = "expense"
        priority = 235             # lower is tried first; unique per side
        patterns = ['\bcantines?\b']
        category = "individual_aid"  # omit it for a modifier (nature, indirect, cerfa,
                                     # envelope = "mainstream" or "politique_ville")
        before_funder = false      # optional, funding rules: tried on the label before
                                   # the funder's name (a refund whoever pays it)

    A rule with the id of a base rule replaces it. Patterns are regular expressions on
    the normalised text (:func:`normalise_text`); write them in TOML literal strings
    (``'...'``) so that backslashes stay as they are.

    Args:
        text: the file's text.
        source: the file name, quoted in errors.
        base: the rules a file with ``extends = "default"`` adds to
            (:data:`DEFAULT_RULES` when None).

    Returns:
        The checked rule set.

    Raises:
        InvalidRuleSet: the file is not valid TOML, a table has a bad key or value, or
            the resulting set is inconsistent; every problem is listed, located.

    >>> rules = read_rules('''
    ... [[keyword]]
    ... id = "local-cantine"
    ... side = "expense"
    ... priority = 235
    ... patterns = ['\\bcantines?\\b']
    ... category = "individual_aid"
    ... ''', source="mes-regles.toml")
    >>> rules.get("local-cantine").category.value
    'individual_aid'
    >>> read_rules('[[keyword]]\nid = "x"\nside = "expense"\npriority = "10"\n',
    ...            source="mes-regles.toml")
    Traceback (most recent call last):
    ...
    reussite.budget.InvalidRuleSet: invalid budget rule set:
      - mes-regles.toml: [[keyword]] number 1 ('x'): 'priority' must be a int, got '10'
      - mes-regles.toml: [[keyword]] number 1 ('x'): the key 'patterns' is required
    """
    name = source or "rule file"
    if not isinstance(text, str):
        raise InvalidValue("read_rules", "text", text, "the rule file's text (str)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidRuleSet([f"{name}: not valid TOML ({exc})"]) from None
    problems: list[str] = []
    unknown = sorted(set(data) - set(_TOP))
    if unknown:
        problems.append(
            f"{name}: unknown top-level key(s) {', '.join(map(repr, unknown))};"
            f" expected among {', '.join(_TOP)}"
        )
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"{name}: format {data['format']!r} is not supported (expected {FORMAT})")
    extends = data.get("extends", "default")
    if extends not in ("default", "none"):
        problems.append(f"{name}: 'extends' must be 'default' or 'none', got {extends!r}")
    drop = data.get("drop", [])
    if not isinstance(drop, list) or not all(isinstance(x, str) for x in drop):
        problems.append(f"{name}: 'drop' must be a list of rule ids, got {drop!r}")
        drop = []
    rules: list[Rule] = []
    for kind in ("account", "keyword"):
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            problems.append(f"{name}: {kind!r} must be written [[{kind}]] (an array of tables)")
            continue
        for index, table in enumerate(tables, start=1):
            local: list[str] = []
            rule = _rule(kind, _Table(kind, index, table, local))
            problems.extend(f"{name}: {p}" for p in local)
            if rule is not None:
                rules.append(rule)
    if problems:
        raise InvalidRuleSet(problems)
    if extends == "none":
        start = RuleSet(account_rules=(), keyword_rules=())
    else:
        if base is None:
            from ._defaults import DEFAULT_RULES

            base = DEFAULT_RULES
        start = base
    known = {r.id for r in start}
    missing = [rule_id for rule_id in drop if rule_id not in known]
    if missing:
        raise InvalidRuleSet(
            f"{name}: 'drop' names {rule_id!r}, which is not a rule of the base set"
            for rule_id in missing
        )
    kept = RuleSet(
        account_rules=tuple(r for r in start.account_rules if r.id not in drop),
        keyword_rules=tuple(r for r in start.keyword_rules if r.id not in drop),
    )
    return kept.with_rules(*rules) if rules else kept


def load_rules(path: str | os.PathLike[str], *, base: RuleSet | None = None) -> RuleSet:
    """Read a rule file from disk; see :func:`read_rules` for the format.

    Args:
        path: the TOML file.
        base: the rules a file with ``extends = "default"`` adds to.

    Returns:
        The checked rule set.

    Raises:
        InvalidRuleSet: the file is invalid (every problem listed).
        OSError: the file cannot be read.
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRuleSet(
            [f"{path}: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"]
        ) from None
    return read_rules(text, source=str(path), base=base)


def _string(value: str) -> str:
    if "'" not in value and "\n" not in value and value.isprintable():
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_string(str(x)) for x in value) + "]"
    return _string(str(value))


def _fields(rule: Rule) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("id", rule.id), ("side", rule.side.value)]
    if isinstance(rule, AccountRule):
        fields.append(("prefix", rule.prefix))
        if rule.chart is not None:
            fields.append(("chart", rule.chart.value))
        if rule.when:
            fields.append(("when", rule.when))
        if rule.refine:
            fields.append(("refine", tuple(c.value for c in rule.refine)))
    else:
        fields += [("priority", rule.priority), ("patterns", rule.patterns)]
        if rule.before_funder:
            fields.append(("before_funder", True))
    if rule.unless:
        fields.append(("unless", rule.unless))
    if rule.category is not None:
        fields.append(("category", rule.category.value))
    if rule.nature is not None:
        fields.append(("nature", rule.nature.value))
    if rule.indirect:
        fields.append(("indirect", True))
    if rule.cerfa_line is not None:
        fields.append(("cerfa", rule.cerfa_line.value))
    if isinstance(rule, KeywordRule) and rule.envelope is not None:
        fields.append(("envelope", rule.envelope.value))
    if rule.note:
        fields.append(("note", rule.note))
    if rule.example is not None:
        fields.append(("example", rule.example))
    return fields


def dump_rules(rules: RuleSet, *, extends: str = "none") -> str:
    """Write a rule set as a rule file that :func:`read_rules` reads back to an equal set.

    Args:
        rules: the rule set.
        extends: the file's ``extends`` key: ``"none"`` (a complete set, the default)
            or ``"default"`` (rules to add to the default ones).

    Returns:
        The TOML text.

    >>> from reussite.budget import DEFAULT_RULES
    >>> read_rules(dump_rules(DEFAULT_RULES)) == DEFAULT_RULES
    True
    """
    if extends not in ("default", "none"):
        raise InvalidValue("dump_rules", "extends", extends, "'default' or 'none'")
    out = [f"format = {FORMAT}", f"extends = {_string(extends)}"]
    for rule in rules:
        kind = "account" if isinstance(rule, AccountRule) else "keyword"
        out += ["", f"[[{kind}]]"]
        out += [f"{key} = {_value(value)}" for key, value in _fields(rule)]
    return "\n".join(out) + "\n"
