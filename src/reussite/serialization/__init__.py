"""The one door in and out of ``reussite``: JSON values, pathway documents, cohort files.

Reading checks everything: exact types (nothing is coerced: ``12.5`` is not an integer,
``"no"`` is not a boolean), formats and ranges, then the lifecycle rules by replaying a
pathway's events. Every problem is reported as a line ``message @ $.json.path`` (plus
``(line N)`` in a cohort file) in one :class:`~reussite.errors.InvalidInput`.

Good data pays for reading once, bad data for being explained: text exactly as
``reussite`` writes it is parsed in C (msgspec) and structured by one generated function
per class; anything else, and anything refused, goes through the standard library's
parser and cattrs' detailed converter, which locate every problem. Both paths accept the
same documents and give the same values (see ``docs/performance.md``).

>>> import datetime as dt
>>> from reussite import Consent
>>> text = dumps(Consent(id="acc-1", on=dt.date(2016, 2, 29), given_by=("g-1",)))
>>> text
'{"id":"acc-1","on":"2016-02-29","given_by":["g-1"],"recipients":[],"valid_until":null,"scopes":[]}'
>>> loads(text, Consent).on
datetime.date(2016, 2, 29)
>>> loads('{"id": "acc-1", "on": "2016-02-29", "given_by": "g-1", "colour": 1}', Consent)
Traceback (most recent call last):
...
reussite.errors.InvalidInput: 2 problems:
  expected an array, got "g-1" @ $.given_by
  unknown key (check its spelling, or load with unknown_keys='ignore') @ $.colour
"""

from ._cohort import (
    MAX_ERRORS,
    MAX_PROBLEMS_PER_LINE,
    Cohort,
    LineError,
    dump_cohort,
    load_cohort,
)
from ._converter import configure_converter, make_converter
from ._documents import MAX_BYTES, dump_pathway, dumps, load_pathway, loads
from ._migrations import SCHEMA_VERSION
from ._schema import json_schema
from ._shards import ShardedCohort, map_cohort

__all__ = [
    "MAX_BYTES",
    "MAX_ERRORS",
    "MAX_PROBLEMS_PER_LINE",
    "SCHEMA_VERSION",
    "Cohort",
    "LineError",
    "ShardedCohort",
    "configure_converter",
    "dump_cohort",
    "dump_pathway",
    "dumps",
    "json_schema",
    "load_cohort",
    "load_pathway",
    "loads",
    "make_converter",
    "map_cohort",
]
