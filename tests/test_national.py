from __future__ import annotations

import importlib.util
import itertools
import pathlib
import statistics
import sys

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.budget import BudgetSummary, load_ledger
from reussite.errors import InvalidInput, InvalidValue
from reussite.national import (
    EDITIONS,
    Bin,
    Children,
    Count,
    Declared,
    DeclaredPost,
    Governance,
    Identity,
    InKind,
    Money,
    PartnerRoles,
    PathwaysBlock,
    PreReturn,
    Staff,
    Synthesis,
    build_return,
    edition,
    read_edition,
    synthesise,
)
from reussite.serialization import dumps, load_cohort, loads

EXAMPLE = pathlib.Path(__file__).parent.parent / "examples" / "national_2015.py"


def _example():
    spec = importlib.util.spec_from_file_location("national_2015", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["national_2015"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_return() -> PreReturn:
    ledger = load_ledger(r.sample_path("budget"))
    declared = Declared(
        carrier="epci",
        qpv_count=3,
        children_collective_only=8,
        eps=2,
        eps_meetings=20,
        schools=(Count(code="college", n=2), Count(code="maternelle", n=4)),
        partners=(PartnerRoles(partner="caf", roles=("financement",)),),
        posts=(DeclaredPost(function="coordinator", posts=1, fte_hundredths=100),),
    )
    with load_cohort(r.sample_path("cohort")) as cohort:
        return build_return(
            cohort,
            cohort.programme,
            r.SchoolYear(2017),
            declared=declared,
            budget=BudgetSummary.from_lines(ledger.lines),
            money_year=2018,
        )


# --- editions ----------------------------------------------------------------------------


def test_the_anct_edition_has_the_published_age_bands():
    anct = edition("anct-2021")
    assert [b.code for b in anct.age_bands] == ["2-5", "6-10", "11-16", "17+"]
    assert [anct.age_band(a) for a in (2, 5, 6, 10, 11, 16, 17, 1)] == [
        "2-5",
        "2-5",
        "6-10",
        "6-10",
        "11-16",
        "11-16",
        "17+",
        "hors_tranches",
    ]
    assert edition("cget-2015").age_band(16) == "16+"
    assert set(EDITIONS) == {"anct-2021", "cget-2015"}


def test_an_edition_maps_every_budget_category_to_one_funder():
    anct = edition("anct-2021")
    assert anct.funder_of("state_politique_ville") == "state_politique_ville"
    assert anct.funder_of("social_bodies") == "caf"
    assert anct.funder_of("private_funders") == "other"
    assert anct.in_kind_type_of("Mise à disposition de LOCAUX") == "premises"
    assert anct.in_kind_type_of("Personnel mis à disposition") == "staff"
    assert anct.in_kind_type_of("Charges indirectes") == "other"


def test_an_edition_file_is_read_and_its_errors_located(tmp_path):
    text = (pathlib.Path(r.national.__file__).parent / "editions" / "anct-2021.toml").read_text()
    changed = text.replace('id = "anct-2021"', 'id = "mine"').replace(
        'code = "17+"', 'code = "17 +"'
    )
    with pytest.raises(InvalidInput) as caught:
        read_edition(changed, source="mine.toml")
    assert caught.value.source == "mine.toml"
    assert any("@ $.age_bands[3]" in line for line in caught.value.errors)
    fixed = read_edition(changed.replace('code = "17 +"', 'code = "17-plus"'))
    assert fixed.id == "mine"
    assert fixed.age_band(18) == "17-plus"
    file = tmp_path / "x.toml"
    file.write_text(text.replace('categories = ["*"]', 'categories = ["nobody"]'))
    with pytest.raises(InvalidInput, match=r"funders\.other\.categories"):
        r.national.load_edition(file)
    with pytest.raises(InvalidValue, match="anct-2021"):
        edition("anct-2022")


# --- the return --------------------------------------------------------------------------


def test_the_return_of_the_seed_takes_the_report_and_the_budget(seed_return):
    ret = seed_return
    assert ret.children.in_pathway == 192
    assert ret.children.supported == 200
    assert sum(c.n for c in ret.children.by_age_band) == 192
    assert sum(c.n for c in ret.children.by_sex) == 192
    assert ret.pathways.exits == 85
    assert sum(b.n for b in ret.pathways.durations_months) == 85
    assert {c.code: c.n for c in ret.staff.posts} == {"coordinator": 1, "referent": 3, "other": 0}
    assert {c.code: c.n for c in ret.staff.fte_hundredths}["referent"] == 253
    assert ret.money is not None
    assert ret.money.funder_cents("state_politique_ville") == 15_000_000
    assert ret.money.funder_cents("epci") == 8_650_000
    assert ret.money.in_kind_cents == 3_000_000
    assert ret.schools == (
        Count(code="maternelle", n=4),
        Count(code="elementaire", n=0),
        Count(code="college", n=2),
        Count(code="lycee", n=0),
    )


def test_a_declared_code_outside_the_edition_is_refused_naming_the_field():
    with load_cohort(r.sample_path("cohort")) as cohort:
        programme = cohort.programme
    for declared, field in (
        (Declared(carrier="association"), r"Declared\.carrier"),
        (Declared(schools=(Count(code="cp", n=1),)), r"Declared\.schools\[0\]\.code"),
        (
            Declared(partners=(PartnerRoles(partner="caf", roles=("boss",)),)),
            r"partners\[0\]\.roles\[0\]",
        ),
        (
            Declared(posts=(DeclaredPost(function="referent", posts=1, fte_hundredths=1),)),
            r"posts\[0\]\.function",
        ),
    ):
        with pytest.raises(InvalidValue, match=field):
            build_return([], programme, r.SchoolYear(2017), declared=declared)
    with pytest.raises(InvalidValue, match=r"Declared\.eps"):
        Declared(eps_meetings=3)


def test_the_return_and_the_synthesis_read_back_losslessly(seed_return):
    assert loads(dumps(seed_return), PreReturn) == seed_return
    nation = synthesise([seed_return])
    assert loads(dumps(nation), Synthesis) == nation
    with pytest.raises(InvalidInput, match=r"@ \$.children.in_pathway"):
        loads(dumps(seed_return).replace('"in_pathway":192', '"in_pathway":-1'), PreReturn)


def test_the_text_and_csv_follow_the_survey_blocks(seed_return):
    text = seed_return.to_text()
    blocks = [text.index(f"\n{n}. ") for n in range(1, 8)]
    assert blocks == sorted(blocks)
    assert "Enfants accompagnés (total) : 200" in text
    assert "150 000,00 €" in text
    csv = seed_return.to_csv().splitlines()
    assert csv[0] == "bloc;code;libellé;valeur"
    assert any(line.startswith("4. Enfants") and ";children_supported;" in line for line in csv)


def test_small_counts_are_suppressed_on_demand(seed_return):
    plain = seed_return.to_text()
    masked = seed_return.to_text(suppress_below=5)
    assert "Orientés par : service municipal : secret" in masked
    assert "secret" not in plain
    csv = seed_return.to_csv(suppress_below=11)
    shown = [line.rsplit(";", 1)[1] for line in csv.splitlines() if ";children_by_" in line]
    assert all(v == "secret" or int(v.replace(" ", "")) >= 11 for v in shown)


# --- the synthesis -----------------------------------------------------------------------

_codes = st.sampled_from(["a", "b", "c"])


def _split(draw, total, codes):
    """``total`` split over some of ``codes`` (an empty breakdown when the total is 0)."""
    if not total:
        return ()
    cuts = sorted(draw(st.lists(st.integers(0, total), max_size=len(codes) - 1)))
    parts = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
    return tuple(Count(code=c, n=n) for c, n in zip(codes, parts, strict=False) if n)


@st.composite
def returns(draw):
    """Small returns drawn directly (the synthesis reads returns, not pathways)."""
    in_pathway = draw(st.integers(0, 300))
    exits = draw(st.integers(0, 40))
    answered = draw(st.booleans())

    def bins():
        values = draw(st.lists(st.integers(0, 60), max_size=4, unique=True))
        return tuple(Bin(value=x, n=draw(st.integers(1, 5))) for x in sorted(values))

    funders = st.sampled_from(["state_politique_ville", "state_other", "commune", "caf", "other"])
    money = draw(
        st.none()
        | st.builds(
            Money,
            year=st.just(2014),
            direct=st.lists(
                st.builds(Count, code=funders, n=st.integers(0, 10**9)), max_size=4
            ).map(lambda cs: tuple({c.code: c for c in cs}.values())),
            in_kind=st.lists(
                st.builds(
                    InKind,
                    type=st.sampled_from(["staff", "premises"]),
                    giver=funders,
                    cents=st.integers(0, 10**8),
                ),
                max_size=2,
            ).map(lambda ks: tuple({(k.type, k.giver): k for k in ks}.values())),
        )
    )
    declared = draw(st.booleans())
    referents = draw(st.integers(0, 9))
    posts = {"coordinator": draw(st.integers(0, 2)) if declared else 0, "referent": referents}
    posts["other"] = draw(st.integers(0, 3)) if declared else 0
    fte = {f: draw(st.integers(0, 100 * n)) for f, n in posts.items()}
    durations = bins()
    exits = max(exits, sum(b.n for b in durations))
    eps = draw(st.none() | st.integers(0, 5))
    return PreReturn(
        edition="anct-2021",
        programme_id=f"pre-{draw(st.uuids())}",
        programme_name="PRE",
        school_year=2014,
        identity=Identity(
            carrier=draw(st.none() | st.sampled_from(["gip", "ccas_cias"])),
            active=draw(st.booleans()),
            communes=("13103",),
            qpv_count=draw(st.none() | st.integers(0, 5)),
            outside_priority_geography=None,
        ),
        schools=draw(st.none() | st.just((Count(code="college", n=draw(st.integers(0, 9))),))),
        governance=Governance(
            partners=None,
            eps=eps,
            eps_meetings=draw(st.none() | st.integers(0, 50)) if eps else None,
            referral_to_review_days=bins(),
        ),
        children=Children(
            in_pathway=in_pathway,
            collective_only=draw(st.integers(0, 100)) if answered else None,
            by_sex=_split(draw, in_pathway, ["F", "M"]),
            by_age_band=_split(draw, in_pathway, ["2-5", "6-10", "hors_tranches"]),
            by_referral_source=_split(draw, in_pathway, ["education_nationale", "caf"]),
        ),
        pathways=PathwaysBlock(
            entries=0,
            exits=exits,
            exits_by_reason=_split(draw, exits, ["objectives_met", "moved_away"]),
            durations_months=durations,
        ),
        staff=Staff(
            posts=tuple(Count(code=f, n=n) for f, n in posts.items()),
            fte_hundredths=tuple(Count(code=f, n=n) for f, n in fte.items()),
            declared=declared,
        ),
        money=money,
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(returns(), min_size=1, max_size=8),
    st.lists(st.integers(0, 7), max_size=3),
    st.randoms(use_true_random=False),
)
def test_merging_any_split_in_any_order_gives_the_whole(items, cuts, rng):
    whole = synthesise(items)
    shuffled = list(items)
    rng.shuffle(shuffled)
    bounds = sorted({0, len(shuffled), *(c % (len(shuffled) + 1) for c in cuts)})
    shards = [synthesise(shuffled[a:b]) for a, b in itertools.pairwise(bounds) if b > a]
    rng.shuffle(shards)
    assert synthesise(shards) == whole
    assert synthesise(shards).figures() == whole.figures()


@settings(max_examples=40, deadline=None)
@given(st.lists(returns(), min_size=1, max_size=6))
def test_medians_come_from_merged_histograms_and_shares_from_sums(items):
    nation = synthesise(items)
    days = [
        b.value for x in items for b in x.governance.referral_to_review_days for _ in range(b.n)
    ]
    median = nation.figure("delay_referral_to_review_median").value
    assert median == (statistics.median(days) if days else None)
    supported = [x.children.supported for x in items if x.children.supported is not None]
    assert nation.figure("children_supported").value == sum(supported)
    assert nation.figure("children_supported").answered == len(supported)
    share = nation.figure("children_in_pathway_share")
    assert share.denominator == sum(supported)
    money = [x.money for x in items if x.money is not None]
    assert nation.answered("money") == len(money)
    assert nation.figure("direct_funding").numerator == sum(m.direct_cents for m in money)


def test_syntheses_of_different_years_do_not_merge(seed_return):
    one = synthesise([seed_return])
    other = Synthesis.of(attrs.evolve(seed_return, school_year=2016, programme_id="other"))
    with pytest.raises(InvalidValue, match="school_year"):
        one.merge(other)
    with pytest.raises(InvalidValue, match="counted once"):
        one.merge(one)
    with pytest.raises(InvalidValue, match="at least one return"):
        synthesise([])
    with pytest.raises(InvalidValue, match="one of"):
        one.answered("nothing")


# --- the nation of 2014-2015 ---------------------------------------------------------------


def test_the_reduced_nation_sums_to_its_targets_exactly():
    example = _example()
    targets = example.Targets.scaled(0.03)
    plans = example.plan(2015, 0.03)
    nation = synthesise(example.return_of(p) for p in plans)
    f = nation.figure
    assert f("pres_active").value == targets.pres == len(plans)
    assert f("pres_answering_money").value == targets.pres - targets.not_answering_money
    assert f("children_supported").value == targets.in_pathway + targets.collective_only
    assert f("children_in_pathway").value == targets.in_pathway
    assert f("posts").value == targets.posts
    assert f("fte").numerator == targets.fte
    assert f("eps").value == targets.eps
    assert f("schools").value == sum(targets.schools)
    assert f("direct_funding").numerator == targets.direct_euros * 100
    assert f("direct_funding.state_politique_ville").numerator == targets.pv_euros * 100
    assert f("direct_funding.commune").numerator == targets.commune_euros * 100
    assert f("in_kind").numerator == targets.in_kind_euros * 100
    assert f("in_kind.commune").numerator == targets.in_kind_commune_euros * 100
    assert f("pres_with.commune").numerator == targets.pres_with_commune
    assert round(f("delay_referral_to_review_mean").value) == 20
    assert round(f("eps_meetings_per_eps").value) == 10
    assert round(f("co_funding_rate_mean").value) == 37
    assert round(f("state_share").value) == 73


# --- the evolution table -----------------------------------------------------------------


def test_the_evolution_table_puts_a_synthesis_beside_the_published_years(seed_return, tmp_path):
    from reussite.national import PUBLISHED, Evolution, KeyFigures

    nation = synthesise([seed_return])
    table = Evolution.of([*PUBLISHED, nation])
    years = [row.year for row in table.rows]
    assert years == sorted(years)
    assert "2017-2018" in years
    row = next(x for x in table.rows if x.year == "2017-2018")
    assert row == KeyFigures.of(nation)
    assert row.children_supported == 200
    assert row.direct_funding_euros == 236_500
    assert "Enfants accompagnés" in table.to_text()
    assert table.to_csv().splitlines()[0].startswith("année;source;pres_active")
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    figure = table.plot()
    figure.savefig(tmp_path / "evolution.png")
    assert (tmp_path / "evolution.png").stat().st_size > 1000
    with pytest.raises(InvalidValue):
        Evolution.of([1])


# --- Dask: a local cluster gives the same synthesis ----------------------------------------


def test_a_dask_local_cluster_gives_the_same_synthesis_to_the_last_digit():
    pytest.importorskip("dask.distributed")
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    example = _example()
    plans = example.plan(2015, 0.01)
    whole = synthesise(example.return_of(p) for p in plans)

    def merge(a, b):
        return b if a is None else a.merge(b)

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        bag = db.from_sequence(plans, npartitions=3).map(example.return_of).map(Synthesis.of)
        on_dask = bag.fold(merge, merge, initial=None).compute()
    assert dumps(on_dask) == dumps(whole)


def test_the_return_and_the_synthesis_have_a_json_schema_their_documents_meet(seed_return):
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from reussite.serialization import json_schema

    jsonschema.validate(json.loads(dumps(seed_return)), json_schema(PreReturn))
    nation = synthesise([seed_return])
    jsonschema.validate(json.loads(dumps(nation)), json_schema(Synthesis))
