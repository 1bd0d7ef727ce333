"""The tidy tables: schemas pinned, values against the report, renderings, Parquet, privacy."""

from __future__ import annotations

import datetime as dt
import statistics
import sys

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.calendar import months_between
from reussite.errors import InvalidValue
from reussite.indicators import MissingOptionalDependency, annual_report
from reussite.privacy import Sensitivity, generate_key, pseudonymise
from reussite.serialization import load_cohort
from reussite.strategies import cohorts
from reussite.tables import (
    SCHEMAS,
    DType,
    Pseudonymisation,
    exact_months,
    iter_tables,
    tidy_tables,
    write_parquet,
)

D = dt.date
YEAR = r.SchoolYear(2017)
AS_OF = D(2018, 12, 31)


@pytest.fixture(scope="module")
def seed() -> list[r.Pathway]:
    with load_cohort(r.sample_path("cohort")) as cohort:
        return list(cohort)


@pytest.fixture(scope="module")
def tables(seed):
    return tidy_tables(seed, as_of=AS_OF)


# The schema is public: a change of a name or dtype is a change of the API (and CHANGELOG).
PINNED = {
    "pathways": "pathway_id:string child_id:string family_id:string programme_id:string "
    "previous_pathway_id:string state:category referral_on:date referral_source:category "
    "sex:category birth_date:date age_at_referral:int age_band:category "
    "school_level:category school_stage:category priority_education:category "
    "commune:category qpv:string priority_area:category eligible:bool referent_id:string "
    "consent_on:date assessed_on:date admitted_on:date started_on:date ended_on:date "
    "exit_on:date exit_reason:category attainment:category satisfactory_evolution:bool "
    "not_taken_on_reason:category handover_on:date handover_recipient:category "
    "consent_withdrawn_on:date referral_to_consent_days:int consent_to_admission_days:int "
    "admission_to_start_days:int duration_days:int duration_months:float "
    "duration_whole_months:int days_suspended:int objectives:int actions:int reviews:int "
    "events:int corrections:int",
    "events": "pathway_id:string position:int event:category on:date days_since_referral:int",
    "objectives": "pathway_id:string objective_id:string domain:category status:category "
    "set_on:date actions:int",
    "actions": "pathway_id:string action_id:string funding:category kind:category "
    "timing:category start:date end:date duration_days:int cost_cents:int "
    "family_share_cents:int cancelled:bool objectives:int",
    "action_objectives": "pathway_id:string action_id:string objective_id:string",
    "reviews": "pathway_id:string review:int on:date days_since_previous:int participants:int",
    "exits": "pathway_id:string child_id:string on:date school_year:category reason:category "
    "attainment:category satisfactory_evolution:bool validated:bool admitted_on:date "
    "duration_days:int duration_months:float duration_whole_months:int",
}


def test_the_schemas_are_pinned():
    shown = {
        name: " ".join(f"{c.name}:{c.dtype.value}" for c in schema.columns)
        for name, schema in SCHEMAS.items()
    }
    assert shown == PINNED


def test_every_column_has_a_french_label_and_a_sensitivity_from_the_catalogue():
    for schema in SCHEMAS.values():
        assert len(set(schema.names)) == len(schema.names)
        for column in schema.columns:
            assert column.label_fr
            assert column.label_fr[0].islower()
            assert isinstance(column.sensitivity, Sensitivity)
            if column.dtype is DType.CATEGORY and column.codes is not None:
                assert set(column.labels) == set(column.codes)
    pathways = SCHEMAS["pathways"]
    assert pathways.column("pathway_id").sensitivity is Sensitivity.DIRECT_IDENTIFIER
    assert pathways.column("birth_date").sensitivity is Sensitivity.QUASI_IDENTIFIER
    assert pathways.column("handover_recipient").sensitivity is Sensitivity.CHILD_PROTECTION
    assert pathways.column("ended_on").sensitivity is Sensitivity.CHILD_PROTECTION
    assert SCHEMAS["exits"].column("duration_days").sensitivity is Sensitivity.ORDINARY
    assert SCHEMAS["events"].column("event").value_categories["handed_over"] is (
        Sensitivity.CHILD_PROTECTION
    )
    record = SCHEMAS["reviews"].to_records()[2]
    assert record == {
        "name": "on",
        "dtype": "date",
        "label_fr": "date du bilan",
        "sensitivity": "ordinary",
        "sources": ["Review.on"],
        "codes": None,
    }


def test_one_row_per_thing(seed, tables):
    assert len(tables.pathways) == len(seed)
    assert len(tables.events) == sum(len(p.facts) for p in seed)
    assert len(tables.objectives) == sum(len(p.objectives) for p in seed)
    assert len(tables.actions) == sum(len(p.actions) for p in seed)
    assert len(tables.action_objectives) == sum(
        len(a.objective_ids) for p in seed for a in p.actions
    )
    assert len(tables.reviews) == sum(len(p.reviews) for p in seed)
    assert len(tables.exits) == sum(p.exit is not None for p in seed)
    for name, table in tables.items():
        assert table.name == name
        assert all(len(row) == len(table.schema.columns) for row in table.rows)
    assert repr(tables.reviews) == "Table('reviews', rows=485)"


def test_values_agree_with_the_annual_report(seed, tables):
    report = annual_report(seed, YEAR, as_of=YEAR.end, programme=seed[0].programme)
    exits = [e for e in tables.exits.to_records() if e["school_year"] == YEAR.key]
    assert len(exits) == report.count("exits")
    for attainment in ("complete", "partial", "none"):
        assert sum(e["attainment"] == attainment for e in exits) == report.count(
            "exits_by_attainment", attainment
        )
    months = [e["duration_whole_months"] for e in exits]
    assert statistics.fmean(months) == pytest.approx(
        report.number("finished_pathway_duration_mean")
    )
    assert statistics.median(months) == report.number("finished_pathway_duration_median")
    rows = tables.pathways.to_records()
    referrals = [p for p in rows if YEAR.contains(p["referral_on"])]
    assert len(referrals) == report.count("referrals_received")
    entries = [p for p in rows if p["admitted_on"] and YEAR.contains(p["admitted_on"])]
    assert len(entries) == report.count("entries")
    delays = [p["consent_to_admission_days"] for p in entries]
    assert statistics.fmean(delays) == pytest.approx(
        report.number("delay_consent_to_decision_mean")
    )


def test_the_derived_columns(seed, tables):
    by_id = {row["pathway_id"]: row for row in tables.pathways.to_records()}
    for p in seed:
        row = by_id[p.id]
        assert row["state"] == p.state.value
        assert row["events"] == len(p.facts)
        if p.admission is not None and p.ended_on is not None:
            assert row["duration_days"] == (p.ended_on - p.admission.on).days
            assert row["duration_whole_months"] == months_between(p.admission.on, p.ended_on)
        if p.admission is not None and p.ended_on is None:  # open: up to as_of
            assert row["duration_days"] == (AS_OF - p.admission.on).days
    review = tables.reviews.to_records()[1]
    first = tables.reviews.to_records()[0]
    assert review["pathway_id"] == first["pathway_id"]
    assert review["days_since_previous"] == (review["on"] - first["on"]).days
    served = {
        (o["pathway_id"], o["objective_id"]): o["actions"] for o in tables.objectives.to_records()
    }
    links = tables.action_objectives.to_records()
    for key, n in list(served.items())[:50]:
        assert n == sum((link["pathway_id"], link["objective_id"]) == key for link in links)
    assert all(o["set_on"] is not None for o in tables.objectives.to_records())


def test_open_durations_need_an_as_of_date(seed):
    rows = tidy_tables(seed, names=["pathways"]).pathways.to_records()
    open_ = [row for row in rows if row["admitted_on"] and row["ended_on"] is None]
    assert open_
    assert all(row["duration_days"] is None for row in open_)


@given(st.integers(0, 3000), st.integers(0, 800), st.integers(0, 40))
def test_exact_months_counts_whole_months_then_the_fraction(start, days, months):
    start_on = D(2010, 1, 1) + dt.timedelta(days=start)
    end_on = start_on + dt.timedelta(days=days)
    value = exact_months(start_on, end_on)
    assert int(value) == months_between(start_on, end_on)
    assert exact_months(start_on, start_on + relativedelta(months=months)) == months
    later = exact_months(start_on, end_on + dt.timedelta(days=1))
    assert later > value


@given(cohorts(max_size=4, max_events=10))
def test_tables_of_any_valid_cohort_fit_their_schemas(cohort):
    tables = tidy_tables(cohort)
    for table in tables.values():
        for column, values in zip(
            table.schema.columns,
            zip(*table.rows, strict=True)
            if table.rows
            else [
                (),
            ]
            * len(table.schema.columns),
            strict=True,
        ):
            expected = {
                DType.STRING: str,
                DType.CATEGORY: str,
                DType.DATE: dt.date,
                DType.INT: int,
                DType.FLOAT: float,
                DType.BOOL: bool,
            }[column.dtype]
            for value in values:
                assert value is None or type(value) is expected, (table.name, column.name)
                if column.codes is not None and value is not None:
                    assert value in column.codes


def test_pandas_frames_have_the_declared_dtypes(tables):
    pd = pytest.importorskip("pandas")
    for table in tables.values():
        frame = table.to_pandas()
        assert list(frame.columns) == list(table.schema.names)
        for column in table.schema.columns:
            assert str(frame[column.name].dtype) == column.pandas_dtype(), column.name
            if column.codes is not None:
                assert list(frame[column.name].cat.categories) == list(column.codes)
        assert frame.attrs["labels_fr"][table.schema.columns[0].name]
    frame = tables.exits.to_pandas(labels=True)
    assert "atteinte complète" in set(frame["attainment"].cat.categories)
    pathways = tables.pathways.to_pandas()
    assert pathways["referral_on"].dt.date.iloc[0] == tables.pathways.rows[0][6]
    empty = tidy_tables([]).pathways.to_pandas()
    assert len(empty) == 0
    assert str(empty["referral_on"].dtype) == "datetime64[s]"
    assert isinstance(pd.DataFrame, type)


def test_polars_frames_have_the_declared_dtypes(tables):
    pl = pytest.importorskip("polars")
    frame = tables.pathways.to_polars()
    assert frame.columns == list(tables.pathways.schema.names)
    assert frame.schema["referral_on"] == pl.Date
    assert frame.schema["state"] == pl.Enum([s.value for s in r.State])
    assert frame.schema["commune"] == pl.Categorical
    assert frame["duration_days"].dtype == pl.Int64
    assert frame.height == len(tables.pathways)


def test_parquet_round_trip_in_batches(seed, tables, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    paths = write_parquet(seed, tmp_path, batch_size=100, as_of=AS_OF)
    assert sorted(p.name for p in paths.values()) == sorted(f"{n}.parquet" for n in SCHEMAS)
    for name, path in paths.items():
        back = pq.read_table(path)
        assert back.num_rows == len(tables[name])
        assert pq.ParquetFile(path).metadata.num_row_groups == 3  # 100 + 100 + 94 pathways
        assert back.to_pylist() == tables[name].to_records()
        field = back.schema.field(tables[name].schema.columns[-1].name)
        assert field.metadata[b"label_fr"].decode() == tables[name].schema.columns[-1].label_fr
    dates = pq.read_table(paths["pathways"]).schema.field("referral_on").type
    assert dates == pa.date32()
    empty = write_parquet([], tmp_path / "empty", names=["exits"])
    assert pq.read_table(empty["exits"]).num_rows == 0


def test_duckdb_queries_the_parquet(seed, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    paths = write_parquet(seed, tmp_path, names=["exits"])
    rows = duckdb.sql(
        f"select attainment, count(*) from '{paths['exits']}' "
        "where school_year = '2017-2018' group by attainment order by attainment"
    ).fetchall()
    report = annual_report(seed, YEAR, as_of=YEAR.end)
    assert dict(rows) == {
        a: report.count("exits_by_attainment", a) for a in ("complete", "none", "partial")
    }


def test_batches_concatenate_to_the_whole(seed, tables):
    batches = list(
        iter_tables(iter(seed), batch_size=50, as_of=AS_OF, names=("events", "pathways"))
    )
    assert len(batches) == 6
    assert list(batches[0]) == ["pathways", "events"]
    assert [row for b in batches for row in b.events.rows] == list(tables.events.rows)
    assert [row for b in batches for row in b.pathways.rows] == list(tables.pathways.rows)


def test_pseudonymised_tables_go_through_the_privacy_module(seed, tables):
    key = generate_key()
    privacy = Pseudonymisation(key=key, purpose="evaluation")
    out = tidy_tables(seed, privacy=privacy, as_of=AS_OF)
    names = out.pathways.schema.names
    assert "birth_date" not in names
    assert "handover_on" not in names
    assert "ended_on" not in names
    assert "age_band" in names
    assert "commune" in names
    raw = tables.pathways.to_records()
    rows = out.pathways.to_records()
    assert rows[0]["pathway_id"] == pseudonymise(
        raw[0]["pathway_id"], key=key, purpose="evaluation", kind="pathway"
    )
    assert rows[0]["child_id"] == pseudonymise(
        raw[0]["child_id"], key=key, purpose="evaluation", kind="child"
    )
    ids = {row["pathway_id"] for row in raw}
    for table in out.values():
        assert not ids & set(table.column("pathway_id"))
    assert set(out.events.column("pathway_id")) <= {row["pathway_id"] for row in rows}
    health = {"pmi", "health_services", "ase"}
    assert not health & set(out.pathways.column("referral_source"))
    assert "health" not in set(out.objectives.column("domain"))
    assert "handed_over" not in set(out.events.column("event"))
    wider = Pseudonymisation(key=key, purpose="evaluation", include=("health", "child_protection"))
    more = tidy_tables(seed, privacy=wider, names=["objectives", "pathways"])
    assert "health" in set(more.objectives.column("domain"))
    assert "handover_on" in more.pathways.schema.names
    with pytest.raises(InvalidValue, match="direct_identifier"):
        Pseudonymisation(key=key, purpose="evaluation", include=("direct_identifier",))
    with pytest.raises(InvalidValue, match=r"Pseudonymisation\.include"):
        Pseudonymisation(key=key, purpose="evaluation", include=("colour",))


def test_pseudonymised_parquet(seed, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    privacy = Pseudonymisation(key=generate_key(), purpose="survey")
    paths = write_parquet(seed, tmp_path, privacy=privacy, names=["pathways"])
    back = pq.read_table(paths["pathways"])
    assert "birth_date" not in back.column_names
    empty = write_parquet([], tmp_path / "none", privacy=privacy, names=["pathways"])
    assert pq.read_table(empty["pathways"]).column_names == back.column_names


def test_refusals(seed):
    with pytest.raises(InvalidValue, match="as_of"):
        tidy_tables(seed, as_of=D(2017, 1, 1))
    with pytest.raises(InvalidValue, match="names"):
        tidy_tables(seed, names=["pupils"])
    with pytest.raises(InvalidValue, match="pathways"):
        tidy_tables("cohort.jsonl")
    with pytest.raises(InvalidValue, match="pathways"):
        tidy_tables([seed[0], "p-2"])
    with pytest.raises(InvalidValue, match="batch_size"):
        iter_tables(seed, batch_size=0)
    with pytest.raises(InvalidValue, match="as_of"):
        tidy_tables(seed, as_of=dt.datetime(2020, 1, 1))  # noqa: DTZ001
    with pytest.raises(InvalidValue, match="privacy"):
        tidy_tables(seed, privacy="evaluation")
    with pytest.raises(InvalidValue, match=r"Tables\.name"):
        tidy_tables(seed, names="exits")["events"]
    with pytest.raises(InvalidValue, match="one of pathway_id"):
        tidy_tables([], names="reviews").reviews.column("colour")


def test_a_missing_extra_names_it(seed, monkeypatch):
    table = tidy_tables(seed[:3], names="reviews").reviews
    for module, method in (
        ("polars", "to_polars"),
        ("pyarrow", "to_arrow"),
        ("pandas", "to_pandas"),
    ):
        monkeypatch.setitem(sys.modules, module, None)
        with pytest.raises(MissingOptionalDependency, match=r"pip install"):
            getattr(table, method)()


def test_plain_pandas_reads_the_parquet_back_typed(seed, tables, tmp_path):
    """``pd.read_parquet`` gives each column the dtype of ``to_pandas``, dates as dates."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    paths = write_parquet(seed, tmp_path, as_of=AS_OF)
    for name, path in paths.items():
        back = pd.read_parquet(path)
        mine = tables[name].to_pandas()
        assert list(back.columns) == list(mine.columns)
        for column in tables[name].schema.columns:
            got = back[column.name]
            if column.dtype is DType.DATE:  # pandas' Arrow date dtype, as documented
                assert str(got.dtype) == "date32[day][pyarrow]"
                assert got.astype("datetime64[s]").equals(mine[column.name])
            else:
                assert str(got.dtype) == str(mine[column.name].dtype), (name, column.name)
                assert got.astype(object).equals(mine[column.name].astype(object))
    exits = pd.read_parquet(paths["exits"])
    assert (exits["on"] >= D(2015, 9, 1)).all()


def test_wrong_arguments_say_what_and_where(seed, tables, tmp_path):
    with pytest.raises(InvalidValue, match=r"Table\.to_pandas\.labels"):
        tables.exits.to_pandas(labels="yes")
    with pytest.raises(InvalidValue, match="names"):
        tidy_tables(seed, names=5)
    with pytest.raises(InvalidValue, match="names"):
        tidy_tables(seed, names=[["exits"]])
    with pytest.raises(InvalidValue, match=r"Tables\.name"):
        tables[["exits"]]
    with pytest.raises(InvalidValue, match="column"):
        tables.exits.column(3)
    pytest.importorskip("pyarrow")
    a_file = tmp_path / "file"
    a_file.write_text("keep me", encoding="utf-8")
    with pytest.raises(InvalidValue, match=r"write_parquet\.folder: expected a folder, not a file"):
        write_parquet(seed[:3], a_file)
    assert a_file.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(InvalidValue, match="folder that can be created"):
        write_parquet(seed[:3], a_file / "below")
    with pytest.raises(InvalidValue, match=r"write_parquet\.folder"):
        write_parquet(seed[:3], 3)
    (tmp_path / "out" / "exits.parquet").mkdir(parents=True)
    with pytest.raises(InvalidValue, match="no folder of that name"):
        write_parquet(seed[:3], tmp_path / "out", names=["exits"])


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 20),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.lists(st.one_of(st.integers(), st.text(max_size=8), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.dates(),
    st.just(object()),
    st.sampled_from(["exits", "reviews", "pathways"]),
)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzzed_arguments_raise_only_reussite_errors(seed, tmp_path_factory, data):
    which = data.draw(st.sampled_from(["tidy", "iter", "parquet", "table"]))
    pathways = data.draw(st.sampled_from([seed[:4], data.draw(_ANYTHING)]))
    options = {
        key: data.draw(_ANYTHING)
        for key in data.draw(st.lists(st.sampled_from(["as_of", "names", "privacy"]), max_size=3))
    }
    try:
        if which == "tidy":
            tidy_tables(pathways, **options)
        elif which == "iter":
            list(iter_tables(pathways, batch_size=data.draw(_ANYTHING), **options))
        elif which == "parquet":
            folder = data.draw(st.sampled_from([tmp_path_factory.mktemp("pq"), _ANYTHING]))
            write_parquet(pathways, folder, **options)
        else:
            table = tidy_tables(seed[:2], names=["exits"]).exits
            table.column(data.draw(_ANYTHING))
            table.to_pandas(labels=data.draw(_ANYTHING))
    except r.ReussiteError:
        pass
