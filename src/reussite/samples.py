"""The sample files shipped with the library, which the documentation uses (*données d'exemple*).

Every example of the documentation runs on these files, wherever ``reussite`` is
installed: :func:`sample_path` gives the path of one, and ``python -m reussite sample
NAME`` writes it out. They are synthetic: invented names, illustrative QPV codes, an
invented ledger whose lines add up to the published figures of the Pays Salonais PRE.

>>> from reussite.samples import SAMPLES, sample_path
>>> sorted(SAMPLES)
['budget', 'budget-execution', 'cohort']
>>> sample_path("cohort").name
'pays-salonais-2017-2018.jsonl'
"""

from __future__ import annotations

import pathlib
import tempfile
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

import attrs

from .errors import InvalidValue

__all__ = ["SAMPLES", "Sample", "sample_path"]


@attrs.frozen
class Sample:
    """One sample file: its file name in ``reussite/data`` and what it holds.

    Attributes:
        file: the file name (``pays-salonais-2017-2018.jsonl``).
        description_fr: what it holds, in French (printed by ``reussite sample``).
    """

    file: str
    description_fr: str


SAMPLES: Mapping[str, Sample] = MappingProxyType(
    {
        "cohort": Sample(
            "pays-salonais-2017-2018.jsonl",
            "cohorte synthétique du PRE du Pays Salonais, 294 parcours, année scolaire "
            "2017/2018 (JSON Lines, reussite.serialization)",
        ),
        "budget": Sample(
            "pays-salonais-2018-budget.csv",
            "grand livre inventé du PRE du Pays Salonais, exercice 2018 (CSV, reussite.budget)",
        ),
        "budget-execution": Sample(
            "budget-execution-2024.csv",
            "grand livre inventé d'un PRE, prévisionnel et réalisé de 2024, écarts expliqués "
            "(CSV, reussite.budget)",
        ),
    }
)
"""The samples by name: ``cohort`` (a cohort file), ``budget`` (a ledger export) and
``budget-execution`` (a ledger with forecast and actual amounts)."""


def sample_path(name: str) -> pathlib.Path:
    """The path of the sample file ``name`` (one of :data:`SAMPLES`).

    The files live inside the installed package; when the package is imported from a zip
    file, the sample is first copied to a folder of the temporary directory.

    >>> from reussite.budget import load_ledger
    >>> len(load_ledger(sample_path("budget")).lines)
    25

    Raises:
        InvalidValue: if there is no sample of that name (the message lists them).
    """
    sample = SAMPLES.get(name) if isinstance(name, str) else None
    if sample is None:
        raise InvalidValue("sample_path", "name", name, f"one of {', '.join(map(repr, SAMPLES))}")
    resource = resources.files("reussite") / "data" / sample.file
    if isinstance(resource, pathlib.Path):
        return resource
    content = resource.read_bytes()
    copy = pathlib.Path(tempfile.gettempdir()) / "reussite-samples" / sample.file
    if not copy.is_file() or copy.read_bytes() != content:
        copy.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=copy.parent, suffix=".tmp")
        with open(handle, "wb") as stream:
            stream.write(content)
        pathlib.Path(temporary).replace(copy)  # atomic: a reader never sees half a file
    return copy
