"""A cohort as tidy tables (*tables d'analyse*): one row per thing, for pandas, polars, DuckDB.

Analysts ask their own questions — durations by referral source, actions per objective
domain, attainment by age band, delays by commune — of tables, not of
:class:`~reussite.pathway.Pathway` objects. :func:`tidy_tables` reads pathways once (a
list, or a cohort file as it streams) and gives seven tables, each declared in
:data:`SCHEMAS` column by column: name, dtype, French label and the sensitivity the
privacy catalogue gives the fields it comes from.

=====================  ==================================================================
``pathways``           one row per pathway: state, dates of each step, profile at
                       referral (sex, age and band, school level and stage, REP, commune,
                       QPV, priority area), referent, end, exit and attainment, delays in
                       days, durations in days, exact and whole months, counts
``events``             one row per event in force (the corrected history), with its date
``objectives``         one row per objective: domain, status, date set, actions serving it
``actions``            one row per action: funding, kind, timing, dates, duration, cost
``action_objectives``  one row per objective an action serves (joins the two)
``reviews``            one row per review, with the days since the previous one
``exits``              one row per exit: school year, reason, attainment, duration
=====================  ==================================================================

Each :class:`Table` renders as plain records (no dependency), a pandas or polars
DataFrame (codes as categoricals with their French labels, dates as dates) or an Arrow
table; :func:`iter_tables` and :func:`write_parquet` stream them in batches so a national
file never sits in memory; :class:`Pseudonymisation` gives the tables that may leave the
team, through :mod:`reussite.privacy`.

>>> import datetime as dt
>>> from reussite.samples import sample_path
>>> from reussite.serialization import load_cohort
>>> with load_cohort(sample_path("cohort")) as cohort:
...     tables = tidy_tables(cohort, as_of=dt.date(2018, 12, 31))
>>> row = tables.pathways.to_records()[0]
>>> row["state"], row["referral_source"], row["age_band"], row["duration_days"]
('closed', 'education_nationale', '11-15', 374)
>>> SCHEMAS["pathways"].column("birth_date").sensitivity.label_fr
'identifiant indirect'
"""

from ._define import SCHEMAS, exact_months
from ._frames import DEFAULT_BATCH, Table, Tables, iter_tables, tidy_tables, write_parquet
from ._privacy import Pseudonymisation
from ._schema import Column, DType, TableSchema

__all__ = [
    "DEFAULT_BATCH",
    "SCHEMAS",
    "Column",
    "DType",
    "Pseudonymisation",
    "Table",
    "TableSchema",
    "Tables",
    "exact_months",
    "iter_tables",
    "tidy_tables",
    "write_parquet",
]
