"""Classification rules as data, the rule set that checks them, and the matching engine.

Two kinds of rule:

* :class:`AccountRule`: an account-code prefix, optionally scoped to one chart of
  accounts and optionally conditioned on keywords of the label. The label comes first:
  a conditioned rule whose keywords match beats every unconditioned rule below its
  prefix (a ``641`` rule for *vacations* decides an M14 ``6414`` line); then the
  longest matching prefix wins, and at equal length a chart-specific rule beats an
  any-chart one. An account rule may also let the label *refine* it: the first keyword
  rule (by priority) that matches the label and decides one of the rule's ``refine``
  categories decides instead (a ``622`` fee whose label names a speech therapist is a
  service, one naming a supervision is training), so the words live in one place, the
  keyword rules; words of the account's own category (*rémunérations
  d'intermédiaires*, the title of ``622`` that exports often repeat) do not stop it.
* :class:`KeywordRule`: French patterns on the normalised text, tried by ascending
  ``priority``. A keyword rule without a category is a *modifier*: it never decides
  the category but sets the nature (cash / in kind), the indirect flag, the CERFA
  line or the funder's envelope of whatever line it matches. A funding keyword rule
  marked ``before_funder`` is tried on the label before the funder's name when no
  account rule applies: what the receipt is (a refund) beats who pays it.

Patterns match the text folded by :func:`normalise_text`; a pattern that does not match
is tried again with doubled letters made single on both sides, the commonest French
typing slip (*vaccations*, *regionnal*, *honnoraires*).

Any rule may list ``unless`` patterns: it does not apply to a line they match (an
"in kind" modifier does not turn a cash *subvention* into a contribution in kind because
its label mentions *frais de structure*).

Precedence (:func:`classify` applies it):

* expenses: account rules, then keyword rules on the label, then ``UNCLASSIFIED``;
* funding: ``before_funder`` keyword rules on the label when no account rule applies,
  then keyword rules on the funder's name (who pays is the category), then account
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
        refine: categories the label may refine the rule's decision into: the first
            keyword rule, by priority, that matches the label and decides one of them
            decides the line, on the rule's ``cerfa_line`` if it names one. Empty: the
            account alone decides.
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
    refine: tuple[Category, ...] = attrs.field(default=(), validator=v.tuple_of(_category_of))

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
        unless: patterns that keep the rule from applying when one matches, anywhere in
            the line (a rule tried on the funder's name is kept from applying by the
            label's words too).
        nature: the nature of the lines it matches, or None.
        indirect: whether the lines it matches are indirect.
        cerfa_line: the CERFA line, when it differs from the category's default.
        envelope: the funder's envelope (*droit commun* or politique de la ville) of the
            funding lines it matches, or None.
        before_funder: for a funding rule, whether it is tried on the label before the
            funder's name, when no account rule applies (an account already says what
            the receipt is): what the receipt is beats who pays it (a refund of sick
            pay is a cost recovery even when the CPAM pays it).
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
    before_funder: bool = attrs.field(default=False, validator=v.typed(bool))

    @property
    def is_modifier(self) -> bool:
        """Whether the rule only modifies (nature, indirect, CERFA line), not decides."""
        return self.category is None


Rule = AccountRule | KeywordRule


@attrs.frozen
class Match:
    """How a rule matched a line: on which text, and the matched words.

    ``refines`` is the account rule whose decision the label refined, if any;
    ``read_as`` the text as read once typing slips were corrected, if it was.
    """

    rule: Rule
    on: Literal["account", "funder", "label"]
    text: str
    refines: AccountRule | None = None
    read_as: str | None = None


@attrs.frozen
class Decision:
    """The outcome of the engine for one line, before it is turned into explanations."""

    line: BudgetLine
    match: Match | None
    account: Match | None
    modifiers: tuple[Match, ...]


_DOUBLED = re.compile(r"([a-z])\1+")
# In a pattern, a doubled letter not escaped (``\bb`` is a word boundary then ``b``).
_DOUBLED_IN_PATTERN = re.compile(r"(?<!\\)([a-z])\1+")


def _single_letters(text: str) -> str:
    """``text`` with each run of one repeated letter made single (*vaccations* → *vacations*)."""
    return _DOUBLED.sub(r"\1", text)


@attrs.frozen
class _Text:
    """A normalised text, and the same with doubled letters made single (for typos)."""

    plain: str
    single: str

    @classmethod
    def of(cls, text: str) -> _Text:
        return cls(text, _single_letters(text))


@attrs.frozen
class _Pattern:
    """A compiled pattern, and its variant for texts with doubled letters made single."""

    plain: re.Pattern[str]
    single: re.Pattern[str] | None  # None when it is the same pattern

    @classmethod
    def of(cls, compiled: re.Pattern[str]) -> _Pattern:
        source = _DOUBLED_IN_PATTERN.sub(r"\1", compiled.pattern)
        return cls(compiled, re.compile(source) if source != compiled.pattern else None)

    def search(self, text: _Text) -> str | None:
        found = self.plain.search(text.plain)
        if found is None and (text.single != text.plain or self.single is not None):
            found = (self.single or self.plain).search(text.single)
        if found is None:
            return None
        return found.group(0) or text.plain


_LEXICON_WORD = re.compile(r"[a-z]{6,}(?=(\?)?)")
_LABEL_WORD = re.compile(r"[a-z]{6,}")


def _pattern_words(pattern: str) -> set[str]:
    """The literal words (6 letters or more) a pattern looks for, with optional endings."""
    words: set[str] = set()
    source = re.sub(r"\\[a-zA-Z]", " ", pattern)
    for found in _LEXICON_WORD.finditer(source):
        word = found.group(0)
        words.add(word)
        if found.group(1):  # 'formations?': 'formation' too
            words.add(word[:-1])
    return words


def _one_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one letter missing, added, changed or swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    start = 0
    while start < min(len(typed), len(word)) and typed[start] == word[start]:
        start += 1
    a, b = typed[start:], word[start:]
    return (
        a[1:] == b[1:]  # changed
        or a == b[1:]  # missing
        or a[1:] == b  # added
        or (len(a) >= 2 and a[0] == b[1:2] and a[1] == b[0] and a[2:] == b[2:])  # swapped
    )


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
    _compiled: dict[str, tuple[_Pattern, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _unless: dict[str, tuple[_Pattern, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _accounts: dict[Side, tuple[AccountRule, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _keywords: dict[Side, tuple[KeywordRule, ...]] = attrs.field(
        init=False, eq=False, repr=False, factory=dict
    )
    _lexicon: dict[Side, dict[tuple[str, int], tuple[str, ...]]] = attrs.field(
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
                _Pattern.of(c)
                for c in (_check_pattern(rule.id, p, problems) for p in rule.patterns)
                if c is not None
            )
            self._unless[rule.id] = tuple(
                _Pattern.of(c)
                for c in (_check_pattern(rule.id, p, problems) for p in rule.unless)
                if c is not None
            )
        self._check_accounts(problems)
        self._check_keywords(problems)
        self._check_refine(problems)
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
            words = sorted(
                {
                    w
                    for r in self._keywords[side]
                    if not r.is_modifier
                    for p in r.patterns
                    for w in _pattern_words(p)
                }
            )
            lexicon: dict[tuple[str, int], list[str]] = {}
            for word in words:  # by first letter and length: a slip seldom hits the first
                lexicon.setdefault((word[0], len(word)), []).append(word)
            self._lexicon[side] = {key: tuple(found) for key, found in lexicon.items()}
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
        if isinstance(rule, AccountRule):
            for category in rule.refine:
                if not isinstance(category, expected) or category.value == "unclassified":
                    problems.append(
                        f"rule {rule.id!r}: cannot be refined into {category.value!r}, which"
                        f" is not a category of the {rule.side.value} side"
                    )
        elif rule.before_funder and (rule.side is not Side.FUNDING or rule.is_modifier):
            problems.append(
                f"rule {rule.id!r}: 'before_funder' is for funding rules that decide a"
                " category (tried on the label before the funder's name)"
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

    def _check_refine(self, problems: list[str]) -> None:
        decided = {(r.side, r.category) for r in self.keyword_rules if r.category is not None}
        for rule in self.account_rules:
            for category in rule.refine:
                if (rule.side, category) not in decided:
                    problems.append(
                        f"rule {rule.id!r}: refined into {category.value!r}, but no keyword"
                        " rule decides that category, so the label can never refine it"
                    )

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

    def _search(self, rule: Rule, text: _Text, line: _Text | None = None) -> str | None:
        """The words of ``text`` the rule matches; None if ``line`` has an ``unless`` word."""
        for compiled in self._compiled[rule.id]:
            found = compiled.search(text)
            if found is not None:
                return None if self._excluded(rule, line or text) else found
        return None

    def _excluded(self, rule: Rule, text: _Text) -> bool:
        return any(u.search(text) is not None for u in self._unless[rule.id])

    def _corrected(self, side: Side, text: str) -> str | None:
        """``text`` with its typing slips corrected, or None if it has none.

        A word of 6 letters or more that no keyword rule names, one slip (a letter
        missing, added, changed or two swapped) away from exactly one word the keyword
        rules name, is replaced by it (*formaton* → *formation*).
        """
        lexicon = self._lexicon.get(side, {})

        def fix(found: re.Match[str]) -> str:
            typed = found.group(0)
            if typed in lexicon.get((typed[0], len(typed)), ()):
                return typed
            near = {
                word
                for size in (len(typed) - 1, len(typed), len(typed) + 1)
                for word in lexicon.get((typed[0], size), ())
                # an ending added or dropped is a form of the word, not a slip
                if _one_slip(typed, word)
                and not typed.startswith(word)
                and not word.startswith(typed)
            }
            return near.pop() if len(near) == 1 else typed

        corrected = _LABEL_WORD.sub(fix, text)
        return corrected if corrected != text else None


def _replace_or_add(rules: list[Any], rule: Rule) -> list[Any]:
    ids = [r.id for r in rules]
    if rule.id in ids:
        rules[ids.index(rule.id)] = rule
    else:
        rules.append(rule)
    return rules


def _account_match(rules: RuleSet, line: BudgetLine, text: _Text) -> Match | None:
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


def _refined(rules: RuleSet, account: Match, text: _Text) -> Match | None:
    """The keyword rule that refines an account rule's decision, if the label says so."""
    rule = account.rule
    if not isinstance(rule, AccountRule) or not rule.refine:
        return None
    for keyword in rules._keywords[rule.side]:
        if keyword.category is None or keyword.category not in rule.refine:
            continue
        found = rules._search(keyword, text)
        if found is not None:
            return Match(keyword, "label", found, refines=rule)
    return None


def _keyword_match(
    rules: RuleSet,
    side: Side,
    text: _Text,
    on: Literal["funder", "label"],
    *,
    line: _Text | None = None,
    before_funder: bool = False,
) -> Match | None:
    for rule in rules._keywords[side]:
        if rule.is_modifier or (before_funder and not rule.before_funder):
            continue
        found = rules._search(rule, text, line)
        if found is not None:
            return Match(rule, on, found)
    return None


def _read_through_slips(
    rules: RuleSet, side: Side, text: _Text, on: Literal["funder", "label"]
) -> Match | None:
    read = rules._corrected(side, text.plain)
    if read is None:
        return None
    match = _keyword_match(rules, side, _Text.of(read), on)
    return None if match is None else attrs.evolve(match, read_as=read)


def decide(rules: RuleSet, line: BudgetLine) -> Decision:
    """Run the engine: which rule decides ``line`` and which modifiers apply."""
    label = _Text.of(normalise_text(line.label))
    funder_text = normalise_text(line.funder) if line.funder else ""
    funder = _Text.of(funder_text)
    both = _Text.of(f"{funder_text} {label.plain}".strip())
    account = _account_match(rules, line, both)
    refined = _refined(rules, account, both) if account is not None else None
    match: Match | None
    if line.side is Side.FUNDING:
        match = None
        if account is None:  # an account already says what the receipt is
            match = _keyword_match(rules, line.side, label, "label", before_funder=True)
        if match is None and funder_text:
            # ``unless`` words are looked for in the whole line: "Préfecture" pays
            # politique de la ville credits unless the label names another programme.
            match = _keyword_match(rules, line.side, funder, "funder", line=both)
        match = match or refined or account or _keyword_match(rules, line.side, label, "label")
    else:
        match = refined or account or _keyword_match(rules, line.side, label, "label")
    if match is None:  # a last try, with typing slips corrected
        match = _read_through_slips(rules, line.side, label, "label")
    if match is None and funder_text:
        match = _read_through_slips(rules, line.side, funder, "funder")
    modifiers = []
    for rule in rules._keywords[line.side]:
        if rule.is_modifier:
            found = rules._search(rule, both)
            if found is not None:
                modifiers.append(Match(rule, "label", found))
    return Decision(line, match, account, tuple(modifiers))
