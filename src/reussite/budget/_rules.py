"""Classification rules as data, the rule set that checks them, and the matching engine.

Two kinds of rule:

* :class:`AccountRule`: an account-code prefix, optionally scoped to one chart of
  accounts and optionally conditioned on keywords of the label. The label comes first:
  a conditioned rule whose keywords match beats every unconditioned rule below its
  prefix (a ``641`` rule for *vacations* decides an M14 ``6414`` line); then the
  longest matching prefix wins, and at equal length a chart-specific rule beats an
  any-chart one.
* :class:`KeywordRule`: French patterns on the normalised text, tried by ascending
  ``priority``. A keyword rule without a category is a *modifier*: it never decides
  the category but sets the nature (cash / in kind), the indirect flag, the CERFA
  line or the funder's envelope of whatever line it matches.

Any rule may list ``unless`` patterns: it does not apply to a line they match (an
"in kind" modifier does not turn a cash *subvention* into a contribution in kind because
its label mentions *frais de structure*).

Precedence (:func:`classify` applies it):

* expenses: account rules, then keyword rules on the label, then ``UNCLASSIFIED``;
* funding: keyword rules on the funder's name (who pays is the category), then account
  rules, then keyword rules on the label, then ``UNCLASSIFIED``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs

from .. import _validate as v
from ..errors import InvalidValue, ReussiteError
from ._categories import (
    CerfaLine,
    Chart,
    Envelope,
    ExpenseCategory,
    FundingCategory,
    Nature,
    Side,
)
from ._line import BudgetLine
from ._text import normalise_text

__all__ = ["AccountRule", "InvalidRuleSet", "KeywordRule", "RuleSet"]

Category = ExpenseCategory | FundingCategory


class InvalidRuleSet(ReussiteError, ValueError):
    """A rule set is inconsistent; the message lists every problem, one per line.

    Attributes:
        problems: one sentence per problem, each naming the rule id.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "invalid budget rule set:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


InvalidRuleSet.__module__ = "reussite.budget"


def _category_of(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ExpenseCategory | FundingCategory):
        raise InvalidValue(
            type(inst).__name__, attr.name, value, "an ExpenseCategory or FundingCategory"
        )


_PREFIX = v.pattern(r"[0-9a-z]{1,20}", "an account-code prefix of lowercase letters or digits")
_PATTERNS = v.tuple_of(v.text(max_length=300))
_NOTE = v.text(min_length=0, max_length=300)


@attrs.frozen(kw_only=True)
class AccountRule:
    """Classify lines whose account code starts with ``prefix`` (*règle de compte*).

    Attributes:
        id: a stable identifier, quoted in every explanation (``"m57-6414"``).
        side: the side of the lines the rule applies to.
        prefix: the account-code prefix (normalised: ``"6414"``, ``"74epci"``).
        category: the category the rule decides (of the rule's side).
        chart: the chart of accounts the rule is scoped to; None for every chart.
        when: keyword patterns (on the normalised label, and funder for funding); when
            given, the rule applies only if one of them matches, and then it wins over
            the unconditioned rules of longer prefixes (the label comes first).
        unless: keyword patterns that keep the rule from applying when one matches.
        nature: the nature of the lines it decides (in kind for 86x/87x), or None.
        indirect: whether the lines it decides are indirect costs or contributions.
        cerfa_line: the CERFA line, when it differs from the category's default.
        note: the account's official label, quoted in explanations.
        example: a label the rule must decide; checked when the rule set is built.

    >>> rule = AccountRule(id="m57-6414", side=Side.EXPENSE, prefix="6414",
    ...                    chart=Chart.M57, category=ExpenseCategory.STAFF_SESSIONAL,
    ...                    note="Personnel rémunéré à la vacation")
    >>> rule.conditional
    False
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    side: Side = attrs.field(validator=v.member(Side))
    prefix: str = attrs.field(validator=_PREFIX)
    category: Category = attrs.field(validator=_category_of)
    chart: Chart | None = attrs.field(default=None, validator=v.optional(v.member(Chart)))
    when: tuple[str, ...] = attrs.field(default=(), validator=_PATTERNS)
    unless: tuple[str, ...] = attrs.field(default=(), validator=_PATTERNS)
    nature: Nature | None = attrs.field(default=None, validator=v.optional(v.member(Nature)))
    indirect: bool = attrs.field(default=False, validator=v.typed(bool))
    cerfa_line: CerfaLine | None = attrs.field(
        default=None, validator=v.optional(v.member(CerfaLine))
    )
    note: str = attrs.field(default="", validator=_NOTE)
    example: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=300)))

    @property
    def envelope(self) -> None:
        """Account rules never set the envelope (keyword modifiers do)."""
        return None

    @property
    def conditional(self) -> bool:
        """Whether the rule also needs one of its ``when`` keywords to match."""
        return bool(self.when)

    @property
    def patterns(self) -> tuple[str, ...]:
        """The keyword patterns the rule tests (its ``when`` condition)."""
        return self.when


@attrs.frozen(kw_only=True)
class KeywordRule:
    r"""Classify lines whose normalised text matches one of ``patterns`` (*mots-clés*).

    Patterns are regular expressions written in normalised form (lowercase, no
    accents, apostrophes and dashes as spaces: see :func:`normalise_text`). Rules of a
    side are tried by ascending ``priority``; the first match decides.

    Attributes:
        id: a stable identifier, quoted in every explanation (``"exp-sessional"``).
        side: the side of the lines the rule applies to.
        patterns: the regular expressions, at least one.
        priority: lower is tried first; unique per side.
        category: the category decided; None makes the rule a *modifier* that only
            sets ``nature``, ``indirect``, ``cerfa_line`` or ``envelope``.
        unless: patterns that keep the rule from applying when one matches.
        nature: the nature of the lines it matches, or None.
        indirect: whether the lines it matches are indirect.
        cerfa_line: the CERFA line, when it differs from the category's default.
        envelope: the funder's envelope (*droit commun* or politique de la ville) of the
            funding lines it matches, or None.
        note: why the rule exists, in a few words.
        example: a label the rule must decide; checked when the rule set is built.

    >>> KeywordRule(id="exp-sessional", side=Side.EXPENSE, priority=40,
    ...             patterns=(r"\bvacat",), category=ExpenseCategory.STAFF_SESSIONAL)
    ... # doctest: +ELLIPSIS
    KeywordRule(id='exp-sessional', side=<Side.EXPENSE: 'expense'>, patterns=...)
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    side: Side = attrs.field(validator=v.member(Side))
    patterns: tuple[str, ...] = attrs.field(validator=v.tuple_of(v.text(), min_length=1))
    priority: int = attrs.field(validator=v.integer(min_value=0))
    category: Category | None = attrs.field(default=None, validator=v.optional(_category_of))
    unless: tuple[str, ...] = attrs.field(default=(), validator=_PATTERNS)
    nature: Nature | None = attrs.field(default=None, validator=v.optional(v.member(Nature)))
    indirect: bool = attrs.field(default=False, validator=v.typed(bool))
    cerfa_line: CerfaLine | None = attrs.field(
        default=None, validator=v.optional(v.member(CerfaLine))
    )
    envelope: Envelope | None = attrs.field(default=None, validator=v.optional(v.member(Envelope)))
    note: str = attrs.field(default="", validator=_NOTE)
    example: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=300)))

    @property
    def is_modifier(self) -> bool:
        """Whether the rule only modifies (nature, indirect, CERFA line), not decides."""
        return self.category is None


Rule = AccountRule | KeywordRule


@attrs.frozen
class Match:
    """How a rule matched a line: on which text, and the matched words."""

    rule: Rule
    on: Literal["account", "funder", "label"]
    text: str


@attrs.frozen
class Decision:
    """The outcome of the engine for one line, before it is turned into explanations."""

    line: BudgetLine
    match: Match | None
    account: Match | None
    modifiers: tuple[Match, ...]


def _check_pattern(rule_id: str, pattern: str, problems: list[str]) -> re.Pattern[str] | None:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        problems.append(f"rule {rule_id!r}: pattern {pattern!r} is not a valid regex ({exc})")
        return None
    literal = re.sub(r"\\.", "", pattern)
    if literal != literal.lower() or not literal.isascii():
        problems.append(
            f"rule {rule_id!r}: pattern {pattern!r} is not in normalised form (lowercase,"
            f" no accents, as normalise_text gives: {normalise_text(pattern)!r})"
        )
    if compiled.search("") is not None:
        problems.append(
            f"rule {rule_id!r}: pattern {pattern!r} matches an empty label, so every rule"
            " after it would be unreachable"
        )
    return compiled


@attrs.frozen
class RuleSet:
    """A checked, immutable set of classification rules (*jeu de règles*).

    Built once and passed to :func:`classify` and :class:`BudgetSummary`. Building it
    checks the whole set and raises :class:`InvalidRuleSet` listing every problem:
    duplicate ids, duplicate account prefixes for the same chart and condition, keyword
    priorities used twice, invalid or unnormalised patterns, patterns that match
    everything, rules whose category belongs to the other side, modifiers that change
    nothing, and rules whose ``example`` another rule decides (they are unreachable).

    Use :meth:`with_rules` to add or override (same id) rules and :meth:`without` to
    drop some; both return a new, checked set.

    >>> from reussite.budget import DEFAULT_RULES, BudgetLine, classify
    >>> local = AccountRule(id="local-6288", side=Side.EXPENSE, prefix="6288",
    ...                     chart=Chart.M57, category=ExpenseCategory.INDIRECT_COSTS,
    ...                     indirect=True, note="Charges de structure")
    >>> rules = DEFAULT_RULES.with_rules(local)
    >>> line = BudgetLine(side=Side.EXPENSE, label="Autres", amount_cents=90_000,
    ...                   account_code="6288", chart=Chart.M57)
    >>> classify(line, rules=rules).rule_id
    'local-6288'
    >>> DEFAULT_RULES.with_rules(local, attrs.evolve(local, id="local-6288-bis"))
    Traceback (most recent call last):
    ...
    reussite.budget.InvalidRuleSet: invalid budget rule set:
      - rule 'local-6288-bis': duplicate prefix '6288' (m57) for the same side and \
condition as rule 'local-6288'
    """

    account_rules: tuple[AccountRule, ...] = attrs.field(validator=v.tuple_of(v.typed(AccountRule)))
    keyword_rules: tuple[KeywordRule, ...] = attrs.field(validator=v.tuple_of(v.typed(KeywordRule)))
    _compiled: dict[str, tuple[re.Pattern[str], ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _unless: dict[str, tuple[re.Pattern[str], ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _accounts: dict[Side, tuple[AccountRule, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _keywords: dict[Side, tuple[KeywordRule, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        seen_ids: set[str] = set()
        for rule in self.rules:
            if rule.id in seen_ids:
                problems.append(f"rule {rule.id!r}: id used twice")
            seen_ids.add(rule.id)
            self._check_side(rule, problems)
            self._compiled[rule.id] = tuple(
                c
                for c in (_check_pattern(rule.id, p, problems) for p in rule.patterns)
                if c is not None
            )
            self._unless[rule.id] = tuple(
                c
                for c in (_check_pattern(rule.id, p, problems) for p in rule.unless)
                if c is not None
            )
        self._check_accounts(problems)
        self._check_keywords(problems)
        for side in Side:
            self._accounts[side] = tuple(
                sorted(
                    (r for r in self.account_rules if r.side is side),
                    key=lambda r: (-len(r.prefix), r.chart is None, not r.when),
                )
            )
            self._keywords[side] = tuple(
                sorted(
                    (r for r in self.keyword_rules if r.side is side),
                    key=lambda r: r.priority,
                )
            )
        if not problems:
            self._check_examples(problems)
        if problems:
            raise InvalidRuleSet(problems)

    @staticmethod
    def _check_side(rule: Rule, problems: list[str]) -> None:
        expected = ExpenseCategory if rule.side is Side.EXPENSE else FundingCategory
        if rule.category is not None and not isinstance(rule.category, expected):
            problems.append(
                f"rule {rule.id!r}: category {rule.category.value!r} is not an"
                f" {expected.__name__}, but the rule is on the {rule.side.value} side"
            )
        if rule.category in (ExpenseCategory.UNCLASSIFIED, FundingCategory.UNCLASSIFIED):
            problems.append(
                f"rule {rule.id!r}: 'unclassified' is the engine's answer when no rule"
                " applies; a rule cannot decide it"
            )
        if rule.cerfa_line is not None and rule.cerfa_line.side is not rule.side:
            problems.append(
                f"rule {rule.id!r}: CERFA line {rule.cerfa_line.value!r} is on the"
                f" {rule.cerfa_line.side.value} side, not {rule.side.value}"
            )

    def _check_accounts(self, problems: list[str]) -> None:
        earlier: dict[tuple[Side, Chart | None, str], list[AccountRule]] = {}
        for rule in self.account_rules:
            key = (rule.side, rule.chart, rule.prefix)
            scope = rule.chart.value if rule.chart else "any chart"
            for other in earlier.get(key, []):
                if not rule.when and not other.when:
                    problems.append(
                        f"rule {rule.id!r}: duplicate prefix {rule.prefix!r} ({scope}) for"
                        f" the same side and condition as rule {other.id!r}"
                    )
                elif rule.when and other.when and set(rule.when) <= set(other.when):
                    problems.append(
                        f"rule {rule.id!r}: unreachable, rule {other.id!r} has the same"
                        f" prefix {rule.prefix!r} ({scope}) and already matches all of"
                        f" its keywords"
                    )
            earlier.setdefault(key, []).append(rule)

    def _check_keywords(self, problems: list[str]) -> None:
        priorities: dict[tuple[Side, int], str] = {}
        decided: dict[Side, dict[str, str]] = {Side.EXPENSE: {}, Side.FUNDING: {}}
        for rule in sorted(self.keyword_rules, key=lambda r: r.priority):
            other = priorities.get((rule.side, rule.priority))
            if other is not None:
                problems.append(
                    f"rule {rule.id!r}: priority {rule.priority} already used by rule"
                    f" {other!r} on the {rule.side.value} side; the order would be"
                    " ambiguous"
                )
            priorities[(rule.side, rule.priority)] = rule.id
            if rule.is_modifier:
                if (
                    rule.nature is None
                    and not rule.indirect
                    and rule.cerfa_line is None
                    and rule.envelope is None
                ):
                    problems.append(
                        f"rule {rule.id!r}: a modifier (no category) must set nature,"
                        " indirect, cerfa_line or envelope, otherwise it does nothing"
                    )
                continue
            seen = decided[rule.side]
            dead = [p for p in rule.patterns if p in seen]
            if len(dead) == len(rule.patterns):
                owners = ", ".join(sorted({repr(seen[p]) for p in dead}))
                problems.append(
                    f"rule {rule.id!r}: unreachable, every pattern is already tried"
                    f" earlier by rule {owners}"
                )
            for p in rule.patterns:
                seen.setdefault(p, rule.id)

    def _check_examples(self, problems: list[str]) -> None:
        for rule in self.rules:
            if isinstance(rule, AccountRule):
                if rule.when and rule.example is None:
                    continue
                line = BudgetLine(
                    side=rule.side,
                    # A neutral label: the label-conditioned rules come first.
                    label=rule.example or f"compte {rule.prefix}",
                    account_code=rule.prefix,
                    chart=rule.chart or Chart.UNKNOWN,
                    nature=Nature.IN_KIND,
                )
            elif rule.example is not None:
                line = BudgetLine(side=rule.side, label=rule.example, nature=Nature.IN_KIND)
            else:
                continue
            decision = decide(self, line)
            applied = [m.rule.id for m in decision.modifiers]
            if decision.match is not None:
                applied.insert(0, decision.match.rule.id)
            if rule.id not in applied:
                by = decision.match.rule.id if decision.match else "no rule"
                problems.append(
                    f"rule {rule.id!r}: unreachable, its example {line.label!r}"
                    f" (account {line.account_code or '-'}) is decided by {by}"
                )

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule: account rules first, then keyword rules, as declared."""
        return (*self.account_rules, *self.keyword_rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; an :class:`InvalidValue` names the ids on offer."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise InvalidValue("RuleSet", "id", rule_id, "the id of a rule of the set")

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new set where each rule replaces the one with its id, or is added."""
        accounts = list(self.account_rules)
        keywords = list(self.keyword_rules)
        for rule in rules:
            if not isinstance(rule, AccountRule | KeywordRule):
                raise InvalidValue("RuleSet", "rules", rule, "an AccountRule or KeywordRule")
            if isinstance(rule, AccountRule):
                keywords = [r for r in keywords if r.id != rule.id]
                accounts = _replace_or_add(accounts, rule)
            else:
                accounts = [r for r in accounts if r.id != rule.id]
                keywords = _replace_or_add(keywords, rule)
        return RuleSet(account_rules=tuple(accounts), keyword_rules=tuple(keywords))

    def without(self, *rule_ids: str) -> RuleSet:
        """A new set without the rules of these ids (each must exist)."""
        for rule_id in rule_ids:
            self.get(rule_id)
        drop = set(rule_ids)
        return RuleSet(
            account_rules=tuple(r for r in self.account_rules if r.id not in drop),
            keyword_rules=tuple(r for r in self.keyword_rules if r.id not in drop),
        )

    def _search(self, rule: Rule, text: str) -> str | None:
        for compiled in self._compiled[rule.id]:
            found = compiled.search(text)
            if found is not None:
                if any(u.search(text) for u in self._unless[rule.id]):
                    return None
                return found.group(0) or text
        return None

    def _excluded(self, rule: Rule, text: str) -> bool:
        return any(u.search(text) for u in self._unless[rule.id])


def _replace_or_add(rules: list[Any], rule: Rule) -> list[Any]:
    ids = [r.id for r in rules]
    if rule.id in ids:
        rules[ids.index(rule.id)] = rule
    else:
        rules.append(rule)
    return rules


def _account_match(rules: RuleSet, line: BudgetLine, text: str) -> Match | None:
    code = line.account_code
    if code is None:
        return None
    fallback: Match | None = None
    for rule in rules._accounts[line.side]:
        if not code.startswith(rule.prefix):
            continue
        if rule.chart is not None and rule.chart is not line.chart:
            continue
        if not rule.when:
            if fallback is None and not rules._excluded(rule, text):
                fallback = Match(rule, "account", rule.prefix)
        elif rules._search(rule, text) is not None and (
            fallback is None or fallback.rule.category is not rule.category
        ):
            return Match(rule, "account", rule.prefix)  # the label comes first
    return fallback


def _keyword_match(
    rules: RuleSet, side: Side, text: str, on: Literal["funder", "label"]
) -> Match | None:
    for rule in rules._keywords[side]:
        if rule.is_modifier:
            continue
        found = rules._search(rule, text)
        if found is not None:
            return Match(rule, on, found)
    return None


def decide(rules: RuleSet, line: BudgetLine) -> Decision:
    """Run the engine: which rule decides ``line`` and which modifiers apply."""
    label = normalise_text(line.label)
    funder = normalise_text(line.funder) if line.funder else ""
    both = f"{funder} {label}".strip()
    account = _account_match(rules, line, both)
    match: Match | None
    if line.side is Side.FUNDING:
        match = _keyword_match(rules, line.side, funder, "funder") if funder else None
        match = match or account or _keyword_match(rules, line.side, label, "label")
    else:
        match = account or _keyword_match(rules, line.side, label, "label")
    modifiers = []
    for rule in rules._keywords[line.side]:
        if rule.is_modifier:
            found = rules._search(rule, both)
            if found is not None:
                modifiers.append(Match(rule, "label", found))
    return Decision(line, match, account, tuple(modifiers))
