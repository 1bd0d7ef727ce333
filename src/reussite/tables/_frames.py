"""Tidy tables built from pathways: records, pandas, polars, Arrow and Parquet, in batches."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any

import attrs

from .._optional import require
from ..errors import InvalidValue
from ..pathway import Pathway
from ._define import ROWS, SCHEMAS, Row, check_known
from ._privacy import Pseudonymisation
from ._schema import Column, DType, TableSchema

__all__ = ["Table", "Tables", "iter_tables", "tidy_tables", "write_parquet"]

DEFAULT_BATCH = 10_000
"""Pathways per batch of :func:`iter_tables` and :func:`write_parquet`: memory stays
bounded by the batch (about 150 MB of rows for 10,000 pathways), whatever the file."""


@attrs.frozen(kw_only=True, eq=False)
class Table:
    """One tidy table (*table*): its schema and its rows, one per thing.

    Rows are tuples in the order of the schema's columns holding plain Python values
    (dates as :class:`datetime.date`, codes as their wire value, ``None`` when missing);
    the ``to_*`` methods give them as records, pandas, polars or Arrow.

    Attributes:
        schema: the declared columns.
        rows: the rows.
    """

    schema: TableSchema
    rows: Sequence[Row] = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"Table({self.schema.name!r}, rows={len(self.rows)})"

    @property
    def name(self) -> str:
        """The table's name (``"pathways"``)."""
        return self.schema.name

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order.

        Raises:
            InvalidValue: naming the columns, when the table has none called ``name``.
        """
        if not isinstance(name, str):
            raise InvalidValue(f"Table.{self.name}", "column", name, "a column's name")
        index = self.schema.names.index(self.schema.column(name).name)
        return [row[index] for row in self.rows]

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row (no dependency): dates as dates, codes as text."""
        names = self.schema.names
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    def _columns(self) -> list[Sequence[Any]]:
        rows = self.rows
        return [list(map(itemgetter(i), rows)) for i in range(len(self.schema.columns))]

    def to_pandas(self, *, labels: bool = False) -> Any:
        """A pandas DataFrame with the schema's dtypes (extra ``pandas``).

        Codes are categoricals (their categories the codes in order, or the French labels
        with ``labels=True``), dates ``datetime64[s]``, integers and booleans nullable.
        ``df.attrs["labels_fr"]`` holds each column's French label.

        Raises:
            InvalidValue: if ``labels`` is not ``True`` or ``False``.
            MissingOptionalDependency: if pandas is not installed.
        """
        if not isinstance(labels, bool):
            raise InvalidValue("Table.to_pandas", "labels", labels, "True or False")
        pd = require("pandas", extra="pandas", needed_by="Table.to_pandas")
        np = require("numpy", extra="pandas", needed_by="Table.to_pandas")
        data = {
            column.name: _pandas(pd, np, column, values, labels)
            for column, values in zip(self.schema.columns, self._columns(), strict=True)
        }
        frame = pd.DataFrame(data)
        frame.attrs["table"] = self.name
        frame.attrs["labels_fr"] = {c.name: c.label_fr for c in self.schema.columns}
        return frame

    def to_polars(self) -> Any:
        """A polars DataFrame: closed code lists as ``pl.Enum``, dates as ``pl.Date``.

        Raises:
            MissingOptionalDependency: if polars is not installed (extra ``polars``).
        """
        pl = require("polars", extra="polars", needed_by="Table.to_polars")
        return pl.DataFrame(
            [
                pl.Series(column.name, list(values), dtype=column.polars_dtype())
                for column, values in zip(self.schema.columns, self._columns(), strict=True)
            ]
        )

    def to_arrow(self) -> Any:
        """A pyarrow Table with :meth:`TableSchema.arrow_schema` (extra ``arrow``).

        Raises:
            MissingOptionalDependency: if pyarrow is not installed.
        """
        pa = require("pyarrow", extra="arrow", needed_by="Table.to_arrow")
        arrays = [
            _arrow(pa, column, values)
            for column, values in zip(self.schema.columns, self._columns(), strict=True)
        ]
        return pa.Table.from_arrays(arrays, schema=self.schema.arrow_schema())


def _categories(column: Column, values: Sequence[Any]) -> list[str]:
    if column.codes is not None:
        return list(column.codes)
    return sorted({v for v in values if v is not None})


def _pandas(pd: Any, np: Any, column: Column, values: Sequence[Any], labels: bool) -> Any:
    dtype = column.dtype
    if dtype is DType.CATEGORY:
        categories = _categories(column, values)
        series = pd.Series(pd.Categorical(values, categories=categories))
        if labels:
            series = series.cat.rename_categories([column.labels.get(c, c) for c in categories])
        return series
    if dtype is DType.DATE:
        days = np.array(_day_numbers(values), dtype="int64").view("datetime64[D]")
        return pd.Series(days.astype("datetime64[s]"))
    if dtype is DType.FLOAT:
        return pd.Series(np.array(values, dtype="float64"))
    return pd.Series(pd.array(values, dtype=column.pandas_dtype()))


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT = -(2**63)
"""numpy's NaT as an integer (the smallest int64)."""


def _day_numbers(values: Sequence[dt.date | None]) -> list[int]:
    """Days since 1970-01-01 of each date, NaT for ``None``.

    Dates repeat: each distinct one is computed once, then looked up (in C, by ``map``),
    several times quicker than numpy parsing ``datetime.date`` objects.
    """
    numbers: dict[dt.date | None, int] = {None: _NAT}
    numbers.update((day, day.toordinal() - _EPOCH) for day in set(values) if day is not None)
    return list(map(numbers.__getitem__, values))


def _arrow(pa: Any, column: Column, values: Sequence[Any]) -> Any:
    if column.dtype is DType.CATEGORY:
        categories = _categories(column, values)
        index = {code: i for i, code in enumerate(categories)}
        indices = pa.array([None if v is None else index[v] for v in values], pa.int32())
        return pa.DictionaryArray.from_arrays(indices, pa.array(categories, pa.string()))
    return pa.array(values, column.arrow_type())


@attrs.frozen(eq=False)
class Tables(Mapping[str, Table]):
    """The tidy tables of some pathways, by name (*tables d'analyse*).

    A mapping from each table's name to its :class:`Table`, in the order of
    :data:`~reussite.tables.SCHEMAS` (only those asked for); each is also an attribute.

    Attributes:
        tables: the tables by name.
    """

    tables: Mapping[str, Table]

    def __getitem__(self, name: str) -> Table:
        try:
            return self.tables[name]
        except (KeyError, TypeError):  # TypeError: an unhashable name
            raise InvalidValue("Tables", "name", name, f"one of {', '.join(self.tables)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(t)}" for name, t in self.tables.items())
        return f"Tables({sizes})"

    @property
    def pathways(self) -> Table:
        """One row per pathway."""
        return self["pathways"]

    @property
    def events(self) -> Table:
        """One row per event in force."""
        return self["events"]

    @property
    def objectives(self) -> Table:
        """One row per objective."""
        return self["objectives"]

    @property
    def actions(self) -> Table:
        """One row per action."""
        return self["actions"]

    @property
    def action_objectives(self) -> Table:
        """One row per objective an action serves."""
        return self["action_objectives"]

    @property
    def reviews(self) -> Table:
        """One row per review."""
        return self["reviews"]

    @property
    def exits(self) -> Table:
        """One row per exit."""
        return self["exits"]


def _names(names: Iterable[str] | None) -> tuple[str, ...]:
    if names is None:
        return tuple(SCHEMAS)
    if isinstance(names, str):
        names = (names,)
    if isinstance(names, bytes | Mapping) or not isinstance(names, Iterable):
        raise InvalidValue("reussite.tables", "names", names, f"names among {list(SCHEMAS)}")
    chosen = tuple(names)
    unknown = [n for n in chosen if not isinstance(n, str) or n not in SCHEMAS]
    if unknown or not chosen:
        raise InvalidValue("reussite.tables", "names", list(chosen), f"names among {list(SCHEMAS)}")
    return tuple(n for n in SCHEMAS if n in chosen)


def _check(pathways: Iterable[Pathway], as_of: dt.date | None, privacy: object) -> None:
    owner = "reussite.tables"
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue(owner, "pathways", pathways, "an iterable of Pathway")
    if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
        raise InvalidValue(owner, "as_of", as_of, "a datetime.date or None")
    if privacy is not None and not isinstance(privacy, Pseudonymisation):
        raise InvalidValue(owner, "privacy", privacy, "a Pseudonymisation or None")


def _build(
    pathways: Iterable[Pathway],
    names: tuple[str, ...],
    as_of: dt.date | None,
    privacy: Pseudonymisation | None,
) -> Tables:
    builders: list[tuple[str, Any, list[Row]]] = [(name, ROWS[name], []) for name in names]
    for p in pathways:
        if not isinstance(p, Pathway):
            raise InvalidValue("reussite.tables", "pathways", p, "an iterable of Pathway")
        check_known(p, as_of)
        for _, rows_of, rows in builders:
            rows.extend(rows_of(p, as_of))
    tables = {name: Table(schema=SCHEMAS[name], rows=rows) for name, _, rows in builders}
    if privacy is not None:
        tables = {name: privacy.apply(table) for name, table in tables.items()}
    return Tables(tables)


def tidy_tables(
    pathways: Iterable[Pathway],
    *,
    as_of: dt.date | None = None,
    names: Iterable[str] | None = None,
    privacy: Pseudonymisation | None = None,
) -> Tables:
    """The tidy tables of ``pathways``, in memory (*tables d'analyse*), in one pass.

    Each pathway is read as recorded: its facts (corrections applied), its records. Open
    pathways' durations run to ``as_of`` when it is given (else they are missing), and
    so do running actions'.

    Args:
        pathways: any iterable of pathways (a list, a cohort file being read).
        as_of: the date the data are observed on: no pathway may have a later event.
        names: the tables to build (default: all of :data:`~reussite.tables.SCHEMAS`).
        privacy: a :class:`Pseudonymisation`: ids become keyed pseudonyms, and what the
            purpose does not keep is left out (see :class:`Pseudonymisation`).

    Raises:
        InvalidValue: for an argument of the wrong type, an unknown table name, or a
            pathway with an event after ``as_of``.

    >>> from reussite.samples import sample_path
    >>> from reussite.serialization import load_cohort
    >>> with load_cohort(sample_path("cohort")) as cohort:
    ...     tables = tidy_tables(cohort)
    >>> tables
    Tables(pathways=294, events=4532, objectives=543, actions=940, action_objectives=940, ...)
    >>> tables.exits.to_records()[0]["attainment"]
    'partial'
    """
    _check(pathways, as_of, privacy)
    return _build(pathways, _names(names), as_of, privacy)


def iter_tables(
    pathways: Iterable[Pathway],
    *,
    batch_size: int = DEFAULT_BATCH,
    as_of: dt.date | None = None,
    names: Iterable[str] | None = None,
    privacy: Pseudonymisation | None = None,
) -> Iterator[Tables]:
    """The tidy tables of ``pathways``, ``batch_size`` pathways at a time (bounded memory).

    Concatenated, the batches are :func:`tidy_tables` of all the pathways: a national
    file is read once and never held whole (the rows of one batch are).

    Raises:
        InvalidValue: as :func:`tidy_tables`, or for a batch size under 1.

    >>> from reussite.samples import sample_path
    >>> from reussite.serialization import load_cohort
    >>> with load_cohort(sample_path("cohort")) as cohort:
    ...     print([len(batch.pathways) for batch in iter_tables(cohort, batch_size=100)])
    [100, 100, 94]
    """
    _check(pathways, as_of, privacy)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidValue("iter_tables", "batch_size", batch_size, "an integer of at least 1")
    chosen = _names(names)
    return _batches(iter(pathways), batch_size, chosen, as_of, privacy)


def _batches(
    iterator: Iterator[Pathway],
    batch_size: int,
    names: tuple[str, ...],
    as_of: dt.date | None,
    privacy: Pseudonymisation | None,
) -> Iterator[Tables]:
    while batch := list(islice(iterator, batch_size)):
        yield _build(batch, names, as_of, privacy)


def write_parquet(
    pathways: Iterable[Pathway],
    folder: str | pathlib.Path,
    *,
    batch_size: int = DEFAULT_BATCH,
    as_of: dt.date | None = None,
    names: Iterable[str] | None = None,
    privacy: Pseudonymisation | None = None,
) -> dict[str, pathlib.Path]:
    """Write each tidy table to ``folder/<name>.parquet``, streaming (extra ``arrow``).

    The pathways are read once, ``batch_size`` at a time; each batch becomes one row
    group of each file, so memory stays bounded whatever the number of pathways. Each
    column's French label and sensitivity are in the Parquet schema's field metadata.
    DuckDB, pandas, polars and Arrow read the files directly.

    The folder is created if need be; files of the same names in it are replaced.

    Returns:
        Each table's name and the path of its file.

    Raises:
        InvalidValue: as :func:`iter_tables`, or for a ``folder`` that is a file, cannot
            be created or written to (naming it).
        MissingOptionalDependency: if pyarrow is not installed.
    """
    batches = iter_tables(
        pathways, batch_size=batch_size, as_of=as_of, names=names, privacy=privacy
    )
    chosen = _names(names)
    pq = require("pyarrow.parquet", extra="arrow", needed_by="write_parquet")
    out = _folder(folder)
    paths = {name: out / f"{name}.parquet" for name in chosen}
    for path in paths.values():
        if path.is_dir():
            raise InvalidValue("write_parquet", "folder", str(path), "no folder of that name")
    writers: dict[str, Any] = {}
    try:
        for batch in batches:
            for name, table in batch.items():
                arrow = table.to_arrow()
                if name not in writers:
                    writers[name] = pq.ParquetWriter(paths[name], arrow.schema)
                writers[name].write_table(arrow)
        for name in chosen:
            if name not in writers:  # no pathway at all: an empty file with its schema
                schema = SCHEMAS[name] if privacy is None else privacy.schema(SCHEMAS[name])
                empty = Table(schema=schema, rows=[]).to_arrow()
                writers[name] = pq.ParquetWriter(paths[name], empty.schema)
                writers[name].write_table(empty)
    except OSError as error:
        raise InvalidValue(
            "write_parquet", "folder", str(out), f"a folder that can be written ({error.strerror})"
        ) from error
    finally:
        for writer in writers.values():
            writer.close()
    return paths


def _folder(folder: object) -> pathlib.Path:
    """``folder`` as a path, created if need be; :class:`InvalidValue` if it cannot be."""
    if not isinstance(folder, str | os.PathLike) or not os.fspath(folder):
        raise InvalidValue("write_parquet", "folder", folder, "a folder path (str or Path)")
    out = pathlib.Path(os.fsdecode(os.fspath(folder)))
    if out.exists() and not out.is_dir():
        raise InvalidValue("write_parquet", "folder", str(out), "a folder, not a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidValue(
            "write_parquet", "folder", str(out), f"a folder that can be created ({error.strerror})"
        ) from error
    return out
