"""The declared schema of each tidy table: columns, dtypes, French labels, sensitivity."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .._enum import LabelledEnum
from .._sensitivity import Sensitivity
from ..errors import InvalidValue

__all__ = ["Column", "DType", "TableSchema"]


class DType(LabelledEnum):
    """The type of a column's values (*type de la colonne*), the same in every rendering.

    Records hold plain Python values (``str``, ``datetime.date``, ``int``, ``float``,
    ``bool``, ``None`` when missing); pandas, polars and Arrow get the typed column named
    by :meth:`Column.pandas_dtype`, :meth:`Column.polars_dtype` and
    :meth:`Column.arrow_type`.
    """

    STRING = ("string", "texte")
    CATEGORY = ("category", "code (catégorie)")
    DATE = ("date", "date")
    INT = ("int", "nombre entier")
    FLOAT = ("float", "nombre décimal")
    BOOL = ("bool", "oui / non")


@functools.cache
def _catalogue_fields() -> Mapping[str, Any]:
    """The privacy catalogue's entries by qualified field name (``"Child.birth_date"``)."""
    from ..privacy import catalogue  # the catalogue imports the whole domain

    return MappingProxyType({entry.name: entry for entry in catalogue()})


def _codes_of(enum_cls: type[LabelledEnum]) -> tuple[tuple[str, ...], Mapping[str, str]]:
    return (
        tuple(m.value for m in enum_cls),
        MappingProxyType({m.value: m.label_fr for m in enum_cls}),
    )


@attrs.frozen(kw_only=True)
class Column:
    """One column of a tidy table (*variable*): name, type, French label, sensitivity.

    The sensitivity is not declared here: it is read from the privacy catalogue
    (:func:`reussite.privacy.catalogue`) through the fields the column is derived from,
    so a column can never be less sensitive than what it shows.

    Attributes:
        name: the column's name (stable: files and code rely on it).
        dtype: the type of its values.
        label_fr: what it holds, in French.
        sources: the catalogue fields it is derived from (``"Child.birth_date"``).
        codes: for a category, its codes in order (``None``: an open list, such as the
            INSEE code of a commune).
        labels: for a category, the French label of each code.
        pseudonym: for an identifier, the kind of keyed pseudonym it becomes in the
            pseudonymised tables (``"child"``, ``"pathway"``…).
        exported: whether the pseudonymised tables may keep it at all (a birth date
            never leaves: the age at referral and its band do).
        reveals: a category the column reveals beyond its sources' (the count of health
            objectives reveals health).
        values: codes of the column that reveal more than it, beyond the catalogue's
            (the event ``handed_over`` reveals child protection).

    >>> from reussite.tables import SCHEMAS
    >>> column = SCHEMAS["pathways"].column("referral_source")
    >>> column.dtype.value, column.labels["education_nationale"], column.sensitivity.value
    ('category', 'Éducation nationale', 'ordinary')
    >>> column.value_categories["pmi"].value  # a code that says more than its column
    'health'
    """

    name: str
    dtype: DType
    label_fr: str
    sources: tuple[str, ...]
    codes: tuple[str, ...] | None = None
    labels: Mapping[str, str] = attrs.field(factory=lambda: MappingProxyType({}), repr=False)
    pseudonym: str | None = None
    exported: bool = True
    reveals: Sensitivity | None = None
    values: Mapping[str, Sensitivity] = attrs.field(
        factory=lambda: MappingProxyType({}), repr=False
    )

    @classmethod
    def category(
        cls,
        name: str,
        label_fr: str,
        sources: tuple[str, ...],
        enum_cls: type[LabelledEnum],
        **extra: Any,
    ) -> Column:
        """A category column whose codes and labels are those of a coded value."""
        codes, labels = _codes_of(enum_cls)
        return cls(
            name=name,
            dtype=DType.CATEGORY,
            label_fr=label_fr,
            sources=sources,
            codes=codes,
            labels=labels,
            **extra,
        )

    @property
    def sensitivity(self) -> Sensitivity:
        """The most sensitive category of its sources in the catalogue (see the class).

        A column with no source (a position, a count of events) is ordinary. An
        identifier counts as ordinary once pseudonymised; here, in the team's own tables,
        it is what the catalogue says (a direct identifier).
        """
        fields = _catalogue_fields()
        found: list[Sensitivity] = [Sensitivity.ORDINARY]
        found += [fields[s].category for s in self.sources]
        if self.reveals is not None:
            found.append(self.reveals)
        return max(found, key=lambda c: c.rank)

    @property
    def value_categories(self) -> Mapping[str, Sensitivity]:
        """Codes whose value reveals more than the column (from the catalogue)."""
        fields = _catalogue_fields()
        found: dict[str, Sensitivity] = {}
        for source in self.sources:
            found.update(fields[source].values)
        found.update(self.values)
        return MappingProxyType(found)

    def pandas_dtype(self) -> str:
        """The pandas dtype of the column (``"category"``, ``"datetime64[s]"``, ``"Int64"``…).

        pandas has no dtype of its own for dates: dates are ``datetime64[s]`` at midnight
        (``.dt.date`` gives the dates back). Integers and booleans are pandas' nullable
        ``Int64`` and ``boolean``; text is ``string``.
        """
        return _PANDAS[self.dtype]

    def polars_dtype(self) -> Any:
        """The polars dtype: ``pl.Enum`` of the codes for a category with a closed list."""
        import polars as pl

        if self.dtype is DType.CATEGORY:
            return pl.Categorical() if self.codes is None else pl.Enum(list(self.codes))
        return {
            DType.STRING: pl.String(),
            DType.DATE: pl.Date(),
            DType.INT: pl.Int64(),
            DType.FLOAT: pl.Float64(),
            DType.BOOL: pl.Boolean(),
        }[self.dtype]

    def arrow_type(self) -> Any:
        """The Arrow type: dictionary-encoded text for a category, ``date32`` for a date."""
        import pyarrow as pa  # type: ignore[import-untyped]

        return {
            DType.STRING: pa.string(),
            DType.CATEGORY: pa.dictionary(pa.int32(), pa.string()),
            DType.DATE: pa.date32(),
            DType.INT: pa.int64(),
            DType.FLOAT: pa.float64(),
            DType.BOOL: pa.bool_(),
        }[self.dtype]

    def to_record(self) -> dict[str, Any]:
        """The column's documentation as plain data (name, dtype, French label, sensitivity)."""
        return {
            "name": self.name,
            "dtype": self.dtype.value,
            "label_fr": self.label_fr,
            "sensitivity": self.sensitivity.value,
            "sources": list(self.sources),
            "codes": None if self.codes is None else list(self.codes),
        }


_PANDAS = {
    DType.STRING: "string",
    DType.CATEGORY: "category",
    DType.DATE: "datetime64[s]",
    DType.INT: "Int64",
    DType.FLOAT: "float64",
    DType.BOOL: "boolean",
}


@attrs.frozen(kw_only=True)
class TableSchema:
    """The declared schema of one tidy table (*schéma de la table*).

    Attributes:
        name: the table's name (``"pathways"``), also its Parquet file's stem.
        label_fr: what one row is, in French.
        description: what one row is and which rows there are, in English.
        columns: its columns, in order.

    >>> from reussite.tables import SCHEMAS
    >>> SCHEMAS["reviews"].names
    ('pathway_id', 'review', 'on', 'days_since_previous', 'participants')
    >>> SCHEMAS["reviews"].column("colour")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: TableSchema.reviews: expected one of pathway_id, ...
    """

    name: str
    label_fr: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Raises:
            InvalidValue: naming the table's columns when there is none of that name.
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise InvalidValue("TableSchema", self.name, name, f"one of {', '.join(self.names)}")

    def to_records(self) -> list[dict[str, Any]]:
        """Each column's documentation as plain data (see :meth:`Column.to_record`)."""
        return [c.to_record() for c in self.columns]

    def arrow_schema(self) -> Any:
        """The Arrow schema, each field carrying its French label and sensitivity.

        The schema also carries pandas metadata, so that a plain ``pd.read_parquet`` of
        a file :func:`~reussite.tables.write_parquet` wrote gives integers and booleans
        as pandas' nullable ``Int64`` and ``boolean``, text as ``string``, codes as
        categoricals, and dates as dates (pandas' Arrow date dtype, ``date32[pyarrow]``:
        compare them with :class:`datetime.date`; ``.astype("datetime64[s]")`` gives the
        dtype of :meth:`Table.to_pandas`). DuckDB and polars read the dates as ``DATE``.

        Needs pyarrow (extra ``arrow``).
        """
        import pyarrow as pa

        return pa.schema(
            [
                pa.field(
                    c.name,
                    c.arrow_type(),
                    metadata={
                        "label_fr": c.label_fr,
                        "sensitivity": c.sensitivity.value,
                    },
                )
                for c in self.columns
            ],
            metadata={
                "reussite_table": self.name,
                "label_fr": self.label_fr,
                "pandas": json.dumps(self._pandas_metadata()),
            },
        )

    def _pandas_metadata(self) -> dict[str, Any]:
        """The ``pandas`` schema metadata pyarrow reads back (the dtype of each column)."""
        columns = []
        for c in self.columns:
            pandas_type, numpy_type = _PANDAS_METADATA[c.dtype]
            columns.append(
                {
                    "name": c.name,
                    "field_name": c.name,
                    "pandas_type": pandas_type,
                    "numpy_type": numpy_type,
                    "metadata": {"num_categories": len(c.codes or ()), "ordered": False}
                    if c.dtype is DType.CATEGORY
                    else None,
                }
            )
        return {
            "index_columns": [],
            "column_indexes": [],
            "columns": columns,
            "creator": {"library": "reussite", "version": _version()},
        }


def _version() -> str:
    from .. import __version__

    return __version__


_PANDAS_METADATA = {
    DType.STRING: ("unicode", "string"),
    DType.CATEGORY: ("categorical", "int32"),
    DType.DATE: ("date", "date32[day][pyarrow]"),
    DType.INT: ("int64", "Int64"),
    DType.FLOAT: ("float64", "float64"),
    DType.BOOL: ("bool", "boolean"),
}
"""``(pandas_type, numpy_type)`` of each dtype in pandas' Parquet metadata: the dtype
pandas builds when it reads the column back."""
