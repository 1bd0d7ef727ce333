"""Privacy by construction: sensitivity catalogue, pseudonymised exports, retention.

A child's PRE file holds health and family data. Evaluators, the State's annual survey
and researchers need data out of it; nobody outside the team may be able to identify a
child from what leaves (*protection des données*, RGPD and CNIL). Safe is the default:

- :func:`catalogue` lists every field of every domain type with its
  :class:`Sensitivity` (direct identifier, quasi-identifier, health, family situation,
  school, child protection, ordinary), declared once on the field;
- :func:`export_pseudonymised` writes JSON Lines or CSV with keyed pseudonyms scoped by
  a :class:`Purpose`, age bands instead of birth dates, no direct identifier nor free
  text, health and child protection only when the purpose names them;
  :func:`export_cohort` does it from a cohort file with every core, the same bytes;
- :func:`generate_key`, :func:`write_key` and :func:`read_key` make and read the key
  (random, mode 0600, read with a bound);
- :func:`suppress_small_counts` masks the small counts of a published table and the
  cells that would let them be recomputed;
- :func:`may_share` answers from the family's consents, with the child-protection
  exception;
- :class:`RetentionSchedule`, :func:`retention_due` and :func:`purge_cohort` follow the
  CNIL's three phases (active base, intermediate archive, purge), counted from the last
  contact, per category, along re-entry chains; a purge leaves k-anonymous traces
  (:func:`anonymise`).

>>> import io, datetime as dt
>>> from reussite.privacy import export_pseudonymised, generate_key, Sensitivity
>>> manifest = export_pseudonymised([], key=generate_key(), purpose="evaluation",
...                                 as_of=dt.date(2024, 1, 1), out=io.StringIO())
>>> Sensitivity.HEALTH in manifest.categories_kept
False
"""

from .._sensitivity import Sensitivity
from ._anonymise import (
    DEFAULT_K,
    MAX_SUPPRESSED,
    QUASI_IDENTIFIERS,
    Anonymised,
    anonymise,
    coarsen,
)
from ._catalogue import FieldSensitivity, UncategorisedField, catalogue, domain_types
from ._cohort_export import CohortExport, export_cohort
from ._consent import current_consent, may_share, sharing_ends_on
from ._export import (
    AGE_BANDS,
    COLUMNS,
    Column,
    ExportManifest,
    Transform,
    age_band,
    export_pseudonymised,
)
from ._keyfile import MAX_KEY_FILE_BYTES, KeyFileReadable, read_key, write_key
from ._purpose import (
    DEFAULT_CATEGORIES,
    EVALUATION,
    MIN_KEY_BITS,
    MIN_KEY_BYTES,
    PURPOSES,
    RESEARCH,
    SURVEY,
    Purpose,
    check_key,
    generate_key,
    key_strength,
    pseudonymise,
)
from ._retention import (
    EXAMPLE_SCHEDULE,
    STATISTICS,
    ActionTrace,
    ObjectiveTrace,
    Phase,
    Purge,
    RetentionDue,
    RetentionPeriod,
    RetentionSchedule,
    RetentionStart,
    Tombstone,
    categories_held,
    last_contact_on,
    purge,
    purge_cohort,
    purge_on,
    retention_due,
    retention_start,
    retention_starts,
)
from ._suppress import (
    PUBLISHED_COUNTS,
    SUBSETS,
    CountTable,
    PublishedFigure,
    SuppressedReport,
    SuppressedTable,
    determined,
    report_tables,
    suppress_report,
    suppress_small_counts,
)

__all__ = [
    "AGE_BANDS",
    "COLUMNS",
    "DEFAULT_CATEGORIES",
    "DEFAULT_K",
    "EVALUATION",
    "EXAMPLE_SCHEDULE",
    "MAX_KEY_FILE_BYTES",
    "MAX_SUPPRESSED",
    "MIN_KEY_BITS",
    "MIN_KEY_BYTES",
    "PUBLISHED_COUNTS",
    "PURPOSES",
    "QUASI_IDENTIFIERS",
    "RESEARCH",
    "STATISTICS",
    "SUBSETS",
    "SURVEY",
    "ActionTrace",
    "Anonymised",
    "CohortExport",
    "Column",
    "CountTable",
    "ExportManifest",
    "FieldSensitivity",
    "KeyFileReadable",
    "ObjectiveTrace",
    "Phase",
    "PublishedFigure",
    "Purge",
    "Purpose",
    "RetentionDue",
    "RetentionPeriod",
    "RetentionSchedule",
    "RetentionStart",
    "Sensitivity",
    "SuppressedReport",
    "SuppressedTable",
    "Tombstone",
    "Transform",
    "UncategorisedField",
    "age_band",
    "anonymise",
    "catalogue",
    "categories_held",
    "check_key",
    "coarsen",
    "current_consent",
    "determined",
    "domain_types",
    "export_cohort",
    "export_pseudonymised",
    "generate_key",
    "key_strength",
    "last_contact_on",
    "may_share",
    "pseudonymise",
    "purge",
    "purge_cohort",
    "purge_on",
    "read_key",
    "report_tables",
    "retention_due",
    "retention_start",
    "retention_starts",
    "sharing_ends_on",
    "suppress_report",
    "suppress_small_counts",
    "write_key",
]
