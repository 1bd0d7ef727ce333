"""The indicators a PRE reports every year, defined once, computed from pathway events.

Every figure of the annual report (*bilan annuel*, the seed's "en quelques chiffres") is
an :class:`Indicator`: a written definition (numerator, denominator, unit, what counts in
the period, version), held as data in :data:`INDICATORS`. :func:`annual_report` reads any
iterable of pathways **once** and keeps only counts, so a national file of a million
pathways runs in memory bounded by the number of distinct children followed; reports over
shards :meth:`Report.merge` exactly into the report of the whole.

>>> import datetime as dt
>>> from reussite.periods import SchoolYear
>>> report = annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31))
>>> report.value("children_followed")
0
>>> report.value("exits_by_attainment", "complete")
<NotApplicable.NOT_APPLICABLE: 'not_applicable'>
>>> INDICATORS["children_per_referent_fte"].denominator
"referent FTE in force on the period's last day (or the as-of date)"

The definitions in short (each indicator's ``in_period`` says it in full):

- **Followed in the period** (*enfants suivis*): a child one of whose pathways was
  admitted by the EPS and whose span — admission date to exit or handover, or to the
  as-of date while open — shares a day with the period. One child counts once. Profiles
  (commune, referral source, sex, age band at referral, school stage, QPV/REP) come from
  the child's latest pathway followed in the period.
- **Children per full-time referent**: children followed ÷ total referent FTE of the
  programme (as declared; not prorated).
- **Duration of finished pathways**: admission (EPS entry decision) to exit, in whole
  calendar months (*mois révolus*, ``relativedelta``), over the exits dated in the period.
- **Actions**: actions not cancelled whose span shares a day with the period; shares of
  out-of-school time and of mainstream / PRE funding are over them. A child is in an
  *individual pathway* when one of those actions is individual (over the children with
  any action in the period).
- **Referrals and refusals**: referrals dated in the period; a refusal is the family
  declining before consenting (a later withdrawal is not one).
- **Exits**: pathways whose exit is dated in the period (a withdrawal of consent is an
  exit; a handover is not); attainment and reason over all of them, satisfactory
  evolution over those the EPS assessed.
- **Delays** in days: referral → first consent (consents in the period), consent → EPS
  admission (admissions in the period), admission → start (starts in the period).
- **Reviews overdue**: a snapshot on the as-of date of the pathways in progress whose
  last review (or start) is older than ``ProgrammeRules.review_interval_months``.

An empty denominator gives :data:`NOT_APPLICABLE` (printed "sans objet"), never 0 %.
"""

from ._definitions import (
    INDICATORS,
    NOT_APPLICABLE,
    AgeBand,
    Indicator,
    Kind,
    NotApplicable,
    PriorityArea,
    Unit,
)
from ._render import RECORD_FIELDS, format_fr
from ._report import (
    COMMUNE_NAMES,
    DAYS_PER_MONTH,
    Caseload,
    Figure,
    MissingOptionalDependency,
    Report,
    Value,
    annual_report,
)
from ._tally import Tally

__all__ = [
    "COMMUNE_NAMES",
    "DAYS_PER_MONTH",
    "INDICATORS",
    "NOT_APPLICABLE",
    "RECORD_FIELDS",
    "AgeBand",
    "Caseload",
    "Figure",
    "Indicator",
    "Kind",
    "MissingOptionalDependency",
    "NotApplicable",
    "PriorityArea",
    "Report",
    "Tally",
    "Unit",
    "Value",
    "annual_report",
    "format_fr",
]
