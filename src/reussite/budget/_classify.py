"""Classify a budget line: which category, which nature, which CERFA line, and why."""

from __future__ import annotations

from typing import Any

import attrs

from .. import _validate as v
from ..errors import InvalidValue
from ._categories import (
    CerfaLine,
    Chart,
    Envelope,
    ExpenseCategory,
    FundingCategory,
    Nature,
    Side,
)
from ._defaults import DEFAULT_RULES
from ._line import BudgetLine
from ._rules import AccountRule, Decision, Match, RuleSet, decide

__all__ = ["Classification", "classify", "classify_expense", "classify_funding"]

Category = ExpenseCategory | FundingCategory

#: The rule id of an unclassified result: no rule decided.
UNCLASSIFIED_RULE = "unclassified"


def _category(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ExpenseCategory | FundingCategory):
        raise InvalidValue(
            type(inst).__name__, attr.name, value, "an ExpenseCategory or FundingCategory"
        )


@attrs.frozen(kw_only=True)
class Classification:
    """Where a budget line belongs, and the rule that put it there (*classement*).

    Attributes:
        category: the expense or funding category; ``UNCLASSIFIED`` when no rule applied.
        nature: cash or in kind (the source's word wins over the rules').
        indirect: whether the line is an indirect cost or contribution (overheads,
            premises lent, *charges supplétives*); independent of the nature.
        cerfa_line: the CERFA 12156 line it is reported on, or None (unclassified,
            investment).
        rule_id: the id of the rule that decided (``"unclassified"`` if none).
        modifiers: the ids of modifier rules that set the nature, indirect flag, CERFA
            line or envelope.
        explanation_fr: one line saying why, in French.
        explanation_en: the same line in English.
        envelope: for a funding line, the funder's envelope: politique de la ville
            (*crédits spécifiques*, *contrat de ville*) when the category or a modifier
            says so, otherwise mainstream (*droit commun*); None for an expense.

    >>> from reussite.budget import BudgetLine, Chart, Side, classify
    >>> c = classify(BudgetLine(side=Side.EXPENSE, label="500 h de vacations",
    ...                         amount_cents=1_250_000, account_code="6414",
    ...                         chart=Chart.M57))
    >>> c.category.value, c.cerfa_line.value, c.rule_id
    ('staff_sessional', '641', 'm57-6414')
    >>> print(c.explanation_fr)
    compte 6414 (M57) « Personnel rémunéré à la vacation » → Personnel vacataire \
[règle m57-6414]
    """

    category: Category = attrs.field(validator=_category)
    nature: Nature = attrs.field(validator=v.member(Nature))
    indirect: bool = attrs.field(validator=v.typed(bool))
    cerfa_line: CerfaLine | None = attrs.field(validator=v.optional(v.member(CerfaLine)))
    rule_id: str = attrs.field(validator=v.IDENTIFIER)
    modifiers: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of(v.IDENTIFIER))
    explanation_fr: str = attrs.field(validator=v.text())
    explanation_en: str = attrs.field(validator=v.text())
    envelope: Envelope | None = attrs.field(default=None, validator=v.optional(v.member(Envelope)))

    @property
    def classified(self) -> bool:
        """Whether a rule decided (``False`` for an explicit ``UNCLASSIFIED``)."""
        return self.rule_id != UNCLASSIFIED_RULE


def _chart(chart: Chart) -> str:
    return chart.value.upper() if chart is not Chart.UNKNOWN else "nomenclature inconnue"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _explain(decision: Decision, category: Category) -> tuple[str, str]:
    line = decision.line
    label, funder = _one_line(line.label), _one_line(line.funder)
    match = decision.match
    if match is None:
        code = line.account_code
        where_fr = (
            f"aucune règle de compte pour {code} ({_chart(line.chart)})"
            if code
            else ("pas de numéro de compte")
        )
        where_en = f"no account rule for {code} ({line.chart.value})" if code else "no account code"
        texts = f"« {label} »" + (f" ni « {funder} »" if funder else "")
        texts_en = f"'{label}'" + (f" or '{funder}'" if funder else "")
        return (
            f"non classé : {where_fr} et aucun mot-clé reconnu dans {texts}",
            f"unclassified: {where_en} and no keyword found in {texts_en}",
        )
    rule = match.rule
    if isinstance(rule, AccountRule):
        note = f" « {rule.note} »" if rule.note else ""
        note_en = f" '{rule.note}'" if rule.note else ""
        cond = f", libellé « {label} »" if rule.when else ""
        cond_en = f", label '{label}'" if rule.when else ""
        return (
            f"compte {line.account_code} ({_chart(line.chart)}){note}{cond}"
            f" → {category.label_fr} [règle {rule.id}]",
            f"account {line.account_code} ({line.chart.value}){note_en}{cond_en}"
            f" → {category.label_en} [rule {rule.id}]",
        )
    source = funder if match.on == "funder" else label
    read_fr = read_en = ""
    if match.read_as is not None:
        read_fr, read_en = f" lu « {match.read_as} »", f" read '{match.read_as}'"
    what_fr = "financeur" if match.on == "funder" else "libellé"
    what_en = "funder" if match.on == "funder" else "label"
    account_fr = account_en = ""
    if match.refines is not None:
        refined = match.refines
        note = f" « {refined.note} »" if refined.note else ""
        note_en = f" '{refined.note}'" if refined.note else ""
        account_fr = f"compte {line.account_code} ({_chart(line.chart)}){note}, "
        account_en = f"account {line.account_code} ({line.chart.value}){note_en}, "
    return (
        f"{account_fr}{what_fr} « {source} »{read_fr} contient « {match.text} »"
        f" → {category.label_fr} [règle {rule.id}]",
        f"{account_en}{what_en} '{source}'{read_en} contains '{match.text}'"
        f" → {category.label_en} [rule {rule.id}]",
    )


def _resolve(decision: Decision) -> Classification:
    line = decision.line
    match = decision.match
    unclassified: Category = (
        ExpenseCategory.UNCLASSIFIED if line.side is Side.EXPENSE else FundingCategory.UNCLASSIFIED
    )
    rule = match.rule if match else None
    category: Category = rule.category if rule and rule.category else unclassified
    contributors: list[Match] = [m for m in (match, decision.account) if m is not None]
    contributors += list(decision.modifiers)
    natures = [m.rule.nature for m in contributors if m.rule.nature is not None]
    nature = line.nature or (natures[0] if natures else Nature.CASH)
    indirect = any(m.rule.indirect for m in contributors)
    cerfa = rule.cerfa_line if rule and rule.cerfa_line else category.cerfa_line
    if match is not None and match.refines is not None and match.refines.cerfa_line is not None:
        # The label refined the category; an account that names its CERFA line keeps it.
        cerfa = match.refines.cerfa_line
    for modifier in decision.modifiers:
        if modifier.rule.cerfa_line is not None:
            cerfa = modifier.rule.cerfa_line
    if nature is Nature.IN_KIND and cerfa is not None and not cerfa.in_kind:
        cerfa = _in_kind_line(decision)
    explanation_fr, explanation_en = _explain(decision, category)
    envelope = None
    if line.side is Side.FUNDING and category is not FundingCategory.UNCLASSIFIED:
        envelopes = [m.rule.envelope for m in decision.modifiers if m.rule.envelope is not None]
        if category is FundingCategory.STATE_POLITIQUE_VILLE:
            envelope = Envelope.POLITIQUE_VILLE
        else:
            envelope = envelopes[0] if envelopes else Envelope.MAINSTREAM
    return Classification(
        category=category,
        nature=nature,
        indirect=indirect,
        cerfa_line=cerfa,
        rule_id=rule.id if rule else UNCLASSIFIED_RULE,
        modifiers=tuple(m.rule.id for m in decision.modifiers),
        explanation_fr=explanation_fr,
        explanation_en=explanation_en,
        envelope=envelope,
    )


def _in_kind_line(decision: Decision) -> CerfaLine:
    """The 86x/87x line of an in-kind line whose category has a cash CERFA line."""
    if decision.account is not None:
        rule = decision.account.rule
        category_line = rule.category.cerfa_line if rule.category else None
        for candidate in (rule.cerfa_line, category_line):
            if candidate is not None and candidate.in_kind:
                return candidate
    if decision.line.side is Side.EXPENSE:
        return CerfaLine.IN_KIND_FREE_USE
    return CerfaLine.IN_KIND_SERVICES_RECEIVED


def _check(line: object, rules: object, side: Side | None, caller: str) -> None:
    if not isinstance(line, BudgetLine):
        raise InvalidValue(caller, "line", line, "a BudgetLine")
    if not isinstance(rules, RuleSet):
        raise InvalidValue(caller, "rules", rules, "a RuleSet (such as DEFAULT_RULES)")
    if side is not None and line.side is not side:
        raise InvalidValue(caller, "line.side", line.side, f"a line with side=Side.{side.name}")


def classify(line: BudgetLine, *, rules: RuleSet = DEFAULT_RULES) -> Classification:
    """Classify an expense or a funding line (*classer une ligne*), by its side.

    The rule: for an expense, the longest matching account prefix of the line's chart
    decides, then the first French keyword rule matching the label; for a funding, a
    keyword rule matching the funder's name decides first (the category says who pays),
    then account rules, then keywords of the label. When nothing matches the result is
    an explicit ``UNCLASSIFIED`` whose explanation says what was tried.

    Args:
        line: the budget line.
        rules: the rule set; :data:`DEFAULT_RULES` unless given.

    Returns:
        The :class:`Classification`, never None.

    Raises:
        InvalidValue: ``line`` is not a :class:`BudgetLine` or ``rules`` not a RuleSet.

    >>> from reussite.budget import BudgetLine, Side
    >>> c = classify(BudgetLine(side=Side.EXPENSE, label="Achat de bonbons",
    ...                         amount_cents=1000))
    >>> c.category.value, c.classified
    ('unclassified', False)
    >>> print(c.explanation_en)
    unclassified: no account code and no keyword found in 'Achat de bonbons'
    """
    _check(line, rules, None, "classify")
    return _resolve(decide(rules, line))


def classify_expense(line: BudgetLine, *, rules: RuleSet = DEFAULT_RULES) -> Classification:
    """Classify an expense line (*dépense*); a funding line is refused.

    See :func:`classify` for the order in which rules apply.

    Args:
        line: a line with ``side=Side.EXPENSE``.
        rules: the rule set; :data:`DEFAULT_RULES` unless given.

    Returns:
        The :class:`Classification`, with an :class:`ExpenseCategory`.

    Raises:
        InvalidValue: the line is not an expense line.

    >>> from reussite.budget import BudgetLine, Chart, Side
    >>> line = BudgetLine(side=Side.EXPENSE, label="Maintenance du logiciel de suivi",
    ...                   amount_cents=600_000, account_code="6156", chart=Chart.M57)
    >>> classify_expense(line).category.label_fr
    'Informatique et logiciels'
    """
    _check(line, rules, Side.EXPENSE, "classify_expense")
    return _resolve(decide(rules, line))


def classify_funding(line: BudgetLine, *, rules: RuleSet = DEFAULT_RULES) -> Classification:
    """Classify a funding line (*recette*): who pays, in cash or in kind.

    See :func:`classify` for the order in which rules apply.

    Args:
        line: a line with ``side=Side.FUNDING``.
        rules: the rule set; :data:`DEFAULT_RULES` unless given.

    Returns:
        The :class:`Classification`, with a :class:`FundingCategory`.

    Raises:
        InvalidValue: the line is not a funding line.

    >>> from reussite.budget import BudgetLine, Nature, Side
    >>> city = BudgetLine(side=Side.FUNDING, funder="Ville de Berre-l'Étang",
    ...                   label="Mise à disposition de locaux", nature=Nature.IN_KIND)
    >>> c = classify_funding(city)
    >>> c.category.value, c.nature.value, c.cerfa_line.value
    ('commune', 'in_kind', '871')
    """
    _check(line, rules, Side.FUNDING, "classify_funding")
    return _resolve(decide(rules, line))
