"""Budget lines, funding and expense classification, and budget summaries of a PRE.

Who funds a *Programme de Réussite Éducative*, in cash or in kind, and what the money
is spent on: every tool gets the answer from one explainable rule set.

>>> from reussite.budget import BudgetLine, BudgetSummary, Chart, Side, classify
>>> line = BudgetLine(side=Side.EXPENSE, label="500 h de vacations",
...                   amount_cents=1_250_000, account_code="6414", chart=Chart.M57)
>>> classify(line).category.label_fr
'Personnel vacataire'

How a line is classified
========================
A :class:`BudgetLine` keeps what the source says (label, account code and its chart,
funder, nature, the source's own grouping). :func:`classify` (or
:func:`classify_expense`, :func:`classify_funding`) returns a :class:`Classification`:
category, nature (cash / in kind), ``indirect`` flag, CERFA 12156 line, the id of the
rule that decided and a one-line explanation in French and English.

Rules are data (:class:`RuleSet`, :data:`DEFAULT_RULES`), applied in this order:

1. expenses: **account rules**, the longest matching prefix first, a rule scoped to
   the line's chart before an any-chart one, a rule conditioned on label keywords
   before an unconditioned one (M57 ``6414`` is sessional pay, M14 ``6414`` is not);
   an account rule may let the label's keyword rules *refine* its category (a ``622``
   fee for a speech therapist is a service); then **keyword rules** on the label
   folded by :func:`normalise_text` (case, accents, apostrophes), by ascending
   priority: what is bought (transport, rent, IT, documentation, goods) before what
   it is for (health, leisure, parenting, training);
2. funding: keyword rules on the **funder's name** first, since the category answers
   "who pays" (``13-ETAT-POLITIQUE-VILLE``, ``CGET``, ``ANCT``, ``Préfecture`` →
   State, politique de la ville, unless the label names another State programme);
   then account rules; then keywords of the label; a refund is a cost recovery
   whoever pays it (a ``before_funder`` rule);
3. a line nothing decided is read again with typing slips corrected (*formaton*);
   doubled letters are tolerated throughout (*vaccations*);
4. otherwise an explicit ``UNCLASSIFIED`` whose explanation says what was tried.

Keyword rules without a category are *modifiers*: they set the nature ("en nature",
"mise à disposition", "charges supplétives"), the indirect flag ("charges
indirectes") or the CERFA line ("autofinancement" → *ressources propres*). The
nature the source states (a *Forme* column) always wins. A rule set is checked when
built and :class:`InvalidRuleSet` lists every problem (duplicate prefixes, shadowed
rules, bad patterns, a rule whose example another rule decides).

Expense categories and their accounts
=====================================
Accounts are PCG / M57 numbers unless a chart is named; CERFA is the Dauphin line.

- ``staff_internal`` *Personnel salarié*: 641 (M57 64111, 64131), 645 (6451, 6453,
  6454), 647, 648, 631, 633 (M57 6336 CNFPT), M14/PCG 6414, chapter 012. CERFA 641/645/631.
- ``staff_sessional`` *Personnel vacataire*: M57 6414 "Personnel rémunéré à la
  vacation"; any 641x whose label says *vacation*. CERFA 641.
- ``staff_external`` *Personnel extérieur facturé*: 621, 6211, 6214, 6218. CERFA 62x.
- ``service_provision`` *Prestations de service* bought for children and families
  (schooling, leisure, health, parenting): 604, 6042, 611; 622/6226 when the label names
  a health professional. CERFA 604 (622 for health fees).
- ``training`` *Formation de l'équipe*: 6184, 6185, PCG 6333; 622x and 647 when the
  label says *formation*, *supervision*, *analyse des pratiques*. CERFA 622.
- ``supplies`` *Fournitures non stockées*: 606 (6063, 6064, 6067, 6068), 601, 602. CERFA
  60x / 601.
- ``documentation`` *Documentation*: 618 (6181, 6182, 6183), 6065. CERFA 618. The seed
  files it under "fournitures non stockées": the summary shows both views.
- ``it_and_equipment`` *Informatique et logiciels*: 6156 and 6135 when the label says
  *logiciel* or *informatique*. CERFA 615.
- ``premises`` *Locaux*: 613, 6132, 6135, 614, 6061, 6152. CERFA 613.
- ``maintenance`` *Entretien et réparations*: 615, 6156 (non-IT). CERFA 615.
- ``insurance`` 616; ``communication`` 623; ``travel`` 624, 625;
  ``telecom_postage`` 626; ``bank_and_other_services`` 627, 628, 6188. CERFA 616, 623,
  625, 62x.
- ``professional_fees`` *Honoraires*: 622, 6226, 6228 (other fees). CERFA 622.
- ``individual_aid`` *Aides individuelles*: 651. ``grants_to_partners``: 657, 6573,
  6574. ``other_operating``: 65. CERFA 65x.
- ``taxes`` 63 (635, 637), 69; ``financial`` 66; ``exceptional`` 67;
  ``depreciation`` 68.
- ``indirect_costs`` *Charges indirectes*: CERFA ``chgfixe``, ``fraisfin``,
  ``autchgindirect``; 6288 when the label says *structure*; labels *frais de
  structure*, *fonctions support*. Flagged ``indirect``.
- ``in_kind_staff`` 864, ``in_kind_premises_equipment`` 861 (and *mise à
  disposition de locaux*, *charges supplétives*; flagged ``indirect``),
  ``in_kind_services`` 862, ``in_kind_relief`` 860: in-kind uses, CERFA block 86.
- ``investment`` class 2: outside the operating budget, left out of totals.
- ``unclassified``: no rule applied; the explanation says why.

Funding categories and their accounts
=====================================
- ``state_politique_ville``: CGET, ANCT, Acsé, préfecture, délégué du préfet, DDETS,
  programme 147, ``13-ETAT-POLITIQUE-VILLE``; M57 7471x when the label says so. CERFA
  74etat.
- ``state_other``: Éducation nationale, rectorat, FIPD, other ministries; 7471x.
  CERFA 74etat.
- ``region`` 7472 (74region); ``departement`` 7473 (74dep); ``commune`` 7474 (74com):
  *Ville de…*, mairie, CCAS, caisse des écoles, a Dauphin INSEE code; ``epci`` 7475
  (74epci): métropole, its *territoire*, communauté, EPT.
- ``social_bodies``: CAF, MSA, CPAM; 7478222, 7478 when the label names them
  (74orgasoc).
- ``eu_funds`` 7477 (74fe); ``asp_subsidised_jobs``: ASP, adultes-relais
  (74agenceserv); ``other_public_bodies`` 7478 (74x): ARS, France Travail, bailleurs.
- ``private_funders``: foundations, sponsorship, 758 (74aidespriv);
  ``own_resources``: autofinancement, 756 (RESSPROPRES); ``user_fees_and_sales``: 70,
  706, participation des familles; ``cost_recovery`` (not funding): 7084, 7087, 79,
  6419, 6459; ``other_income``: 73, 75, 76, 77, 78.
- ``volunteering``, ``in_kind_services``, ``in_kind_goods``: 870, 871, 875, by label
  first as CRC 99-01 (CERFA) and ANC 2018-06 swap 870 and 875; CERFA block 87.

Nature is independent of the category: the seed's metropolis gives 86,500 € in cash
and 30,000 € of indirect costs in kind; its cities lend premises with no valuation.

Reading ledgers and summarising
===============================
:func:`load_ledger` / :func:`read_ledger` read CSV exports as French tools write them
(``;``, decimal comma, thousands spaces or dots, UTF-8 with or without BOM or
Windows-1252, French headers) and lose no row: each bad row gives a
:class:`LedgerError` naming its line, column and value. :class:`BudgetSummary` gives
totals and shares by category, by funder, by the source's grouping and by CERFA line,
cash vs in kind, indirect costs, the State share and the co-funding rate, the cost per
child, a French text table and the CERFA 12156 table. Amounts are integer cents; the
percentages shown are rounded by largest remainder so they add up to 100.
"""

from __future__ import annotations

from ._categories import (
    CerfaLine,
    Chart,
    Envelope,
    ExpenseCategory,
    FundingCategory,
    Nature,
    Side,
    Stage,
)
from ._classify import Classification, classify, classify_expense, classify_funding
from ._compare import BudgetComparison, Gap, split_by_year
from ._defaults import DEFAULT_RULES
from ._ledger import Ledger, LedgerError, load_ledger, parse_amount, read_ledger
from ._line import BudgetLine, Quantity
from ._money import format_euros, largest_remainder
from ._rulefile import dump_rules, load_rules, read_rules
from ._rules import AccountRule, InvalidRuleSet, KeywordRule, RuleSet
from ._spreadsheet import to_xlsx
from ._summary import Basis, Breakdown, BudgetSummary, CerfaRow, ClassifiedLine, Part
from ._text import normalise_account_code, normalise_text

__all__ = [
    "DEFAULT_RULES",
    "AccountRule",
    "Basis",
    "Breakdown",
    "BudgetComparison",
    "BudgetLine",
    "BudgetSummary",
    "CerfaLine",
    "CerfaRow",
    "Chart",
    "Classification",
    "ClassifiedLine",
    "Envelope",
    "ExpenseCategory",
    "FundingCategory",
    "Gap",
    "InvalidRuleSet",
    "KeywordRule",
    "Ledger",
    "LedgerError",
    "Nature",
    "Part",
    "Quantity",
    "RuleSet",
    "Side",
    "Stage",
    "classify",
    "classify_expense",
    "classify_funding",
    "dump_rules",
    "format_euros",
    "largest_remainder",
    "load_ledger",
    "load_rules",
    "normalise_account_code",
    "normalise_text",
    "parse_amount",
    "read_ledger",
    "read_rules",
    "split_by_year",
    "to_xlsx",
]
