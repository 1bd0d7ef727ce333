"""What a return, a synthesis and an edition refuse; suppression that cannot be undone."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import pathlib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.budget import BudgetSummary, load_ledger
from reussite.cli import main
from reussite.errors import InvalidInput, InvalidValue, ReussiteError
from reussite.national import (
    EDITIONS,
    PUBLISHED,
    AgeBandSpec,
    Count,
    Declared,
    DeclaredPost,
    Evolution,
    KeyFigures,
    PartnerRoles,
    PreReturn,
    Synthesis,
    build_return,
    read_edition,
    synthesise,
)
from reussite.national._render import SECRET, children_counts, masked_counts
from reussite.serialization import dumps, load_cohort, loads

SHIPPED = pathlib.Path(r.national.__file__).parent / "editions" / "anct-2021.toml"
DECLARED = Declared(
    carrier="epci",
    children_collective_only=3,
    eps=2,
    eps_meetings=20,
    schools=(Count(code="college", n=2),),
    partners=(PartnerRoles(partner="caf", roles=("financement",)),),
    posts=(DeclaredPost(function="coordinator", posts=1, fte_hundredths=100),),
)


@pytest.fixture(scope="module")
def cohort():
    with load_cohort(r.sample_path("cohort")) as c:
        return c.programme, list(c)


@pytest.fixture(scope="module")
def built(cohort) -> PreReturn:
    programme, pathways = cohort
    budget = BudgetSummary.from_lines(load_ledger(r.sample_path("budget")).lines)
    return build_return(
        pathways, programme, r.SchoolYear(2017), declared=DECLARED, budget=budget, money_year=2018
    )


def _edited(ret: PreReturn, path: str, value: object) -> str:
    """The return's JSON with one value replaced (``path``: keys and indexes, dotted)."""
    data = json.loads(dumps(ret))
    node = data
    *steps, last = [int(s) if s.isdigit() else s for s in path.split(".")]
    for step in steps:
        node = node[step]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list) and last == len(node):
        node.append(value)
    else:
        node[last] = value
    return json.dumps(data)


# --- a return read from JSON -------------------------------------------------------------

RETURN_CASES = [
    ("money.direct.2", {"code": "communes", "n": 100000}, r"\$\.money\.direct\[2\]\.code"),
    ("money.in_kind.0.giver", "mairie", r"\$\.money\.in_kind\[0\]\.giver"),
    ("money.in_kind.0.type", "argent", r"\$\.money\.in_kind\[0\]\.type"),
    ("children.by_sex.0.code", "X", r"\$\.children\.by_sex\[0\]\.code"),
    ("children.by_age_band.0.code", "2-6", r"\$\.children\.by_age_band\[0\]\.code"),
    ("children.by_referral_source.0.code", "ecole", r"by_referral_source\[0\]\.code"),
    ("pathways.exits_by_reason.0.code", "fini", r"\$\.pathways\.exits_by_reason\[0\]\.code"),
    ("children.in_pathway", 10, r"adding up to in_pathway \(10\).*\$\.children\.by_sex"),
    ("pathways.exits", 3, r"adding up to exits.*\$\.pathways\.exits_by_reason"),
    ("identity.carrier", "mairie", r"\$\.identity\.carrier"),
    ("schools.0.code", "cp", r"\$\.schools\[0\]\.code"),
    ("schools.1.code", "college", r"distinct.*\$\.schools\[2\]"),
    ("governance.partners.0.roles.0", "chef", r"\$\.governance\.partners\[0\]\.roles\[0\]"),
    ("governance.eps", 0, r"at least one EPS.*\$\.governance\.eps"),
    ("staff.fte_hundredths.0.n", 500, r"\$\.staff\.fte_hundredths\[0\]\.n"),
    ("staff.posts.0.code", "chef", r"\$\.staff\.fte_hundredths"),
    ("governance.referral_to_review_days.1.value", 0, r"referral_to_review_days\[1\]\.value"),
    ("children.in_pathwayy", 1, r"unknown key.*\$\.children\.in_pathwayy"),
    ("children.in_pathway", KeyError, r"required key missing @ \$\.children\.in_pathway"),
    ("edition_digest", "0123456789abcdef", r"edition_digest"),
]


@pytest.mark.parametrize(("path", "value", "message"), RETURN_CASES)
def test_a_return_read_from_json_is_checked_like_a_built_one(built, path, value, message):
    with pytest.raises((InvalidInput, InvalidValue), match=message):
        synthesise([loads(_edited(built, path, value), PreReturn)])


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_every_built_return_passes_the_checks_and_reads_back(cohort, data):
    programme, pathways = cohort
    chosen = data.draw(st.lists(st.sampled_from(pathways), unique_by=lambda p: p.id, max_size=40))
    year = data.draw(st.integers(2014, 2019))
    ret = build_return(chosen, programme, r.SchoolYear(year), declared=DECLARED)
    assert loads(dumps(ret), PreReturn) == ret
    nation = synthesise([ret])
    assert loads(dumps(nation), Synthesis) == nation


# --- a synthesis read from JSON ----------------------------------------------------------


def _synthesis_json(built: PreReturn, change) -> str:
    data = json.loads(dumps(synthesise([built])))
    change(data)
    return json.dumps(data)


def _total(data: dict, key: str, n: int) -> None:
    totals = {t["key"]: t["n"] for t in data["totals"]}
    totals[key] = n
    data["totals"] = [{"key": k, "n": v} for k, v in sorted(totals.items())]


def _rename(data: dict, old: str, new: str) -> None:
    totals = {t["key"]: t["n"] for t in data["totals"]}
    totals[new] = totals.pop(old)
    data["totals"] = [{"key": k, "n": v} for k, v in sorted(totals.items())]


SYNTHESIS_CASES = [
    (lambda d: _rename(d, "children.in_pathway", "children.in_pathwayy"), r"totals\[\d+\]\.key"),
    (lambda d: d.update(programmes=[]), r"\$\.programmes"),
    (lambda d: d.update(programmes=["a", "b"]), r"number of programmes"),
    (lambda d: d.update(programmes=["b", "a"]), r"sorted"),
    (lambda d: _total(d, "children.sex.F", 1000), r"sum of children\.sex"),
    (lambda d: _rename(d, "children.age.2-5", "children.age.2-6"), r"totals\[\d+\]\.key"),
    (lambda d: _total(d, "money.direct.communes", 1), r"totals\[\d+\]\.key"),
    (lambda d: _total(d, "exits.fini", 1), r"totals\[\d+\]\.key"),
    (lambda d: _total(d, "answered.money", 2), r"at most pres\.returned"),
    (lambda d: _total(d, "money.pres_with.caf", 2), r"at most answered\.money"),
    (lambda d: d["totals"].reverse(), r"sorted"),
]


@pytest.mark.parametrize(("change", "message"), SYNTHESIS_CASES)
def test_a_synthesis_read_from_json_is_checked(built, change, message):
    with pytest.raises(InvalidInput, match=message):
        loads(_synthesis_json(built, change), Synthesis)


def test_totals_of_an_unanswered_item_are_refused(built):
    unanswered = attrs.evolve(built, schools=None)
    text = dumps(synthesise([unanswered])).replace(
        '"totals":[', '"totals":[{"key":"answered.governance.delay","n":1},', 1
    )
    data = json.loads(text)
    data["totals"].sort(key=lambda t: t["key"])
    _total(data, "schools.college", 3)
    with pytest.raises(InvalidInput, match="no PRE answered schools"):
        loads(json.dumps(data), Synthesis)


# --- Declared and build_return -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schools": [{"code": "college", "n": 2}]}, r"Declared\.schools: expected a tuple"),
        ({"schools": ({"code": "college", "n": 2},)}, r"Declared\.schools\[0\]: expected a Count"),
        ({"posts": ("x",)}, r"Declared\.posts\[0\]: expected a DeclaredPost"),
        ({"partners": ("caf",)}, r"Declared\.partners\[0\]: expected a PartnerRoles"),
        ({"communes": "13103"}, r"Declared\.communes"),
        ({"eps": 0, "eps_meetings": 4}, r"Declared\.eps"),
        (
            {"schools": (Count(code="college", n=1), Count(code="college", n=2))},
            r"schools\[1\].*distinct",
        ),
    ],
)
def test_declared_refuses_wrong_types_and_implausible_answers(kwargs, message):
    with pytest.raises(InvalidValue, match=message):
        Declared(**kwargs)


@given(posts=st.integers(0, 20), fte=st.integers(0, 3000))
def test_a_declared_post_has_at_most_one_fte_per_post(posts, fte):
    if fte <= 100 * posts:
        assert DeclaredPost(function="other", posts=posts, fte_hundredths=fte).posts == posts
    else:
        with pytest.raises(InvalidValue, match=r"DeclaredPost\.fte_hundredths"):
            DeclaredPost(function="other", posts=posts, fte_hundredths=fte)


_ODD = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(dt.datetime(2018, 1, 1, tzinfo=dt.UTC)),
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["survey", "money_year", "as_of", "progress", "declared", "budget"]), _ODD)
def test_build_return_raises_only_reussite_errors(cohort, argument, value):
    programme, pathways = cohort
    with contextlib.suppress(ReussiteError):
        build_return(pathways[:3], programme, r.SchoolYear(2017), **{argument: value})


# --- editions ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), min_size=1, max_size=5))
def test_age_bands_must_follow_each_other_without_gap_or_overlap(spans):
    bands = [
        AgeBandSpec(code=f"b{i}", label_fr=f"b{i}", min_age=lo, max_age=lo + width)
        for i, (lo, width) in enumerate(spans)
    ]
    contiguous = all(b.min_age == a.max_age + 1 for a, b in itertools.pairwise(bands))
    text = SHIPPED.read_text(encoding="utf-8")
    head, _, rest = text.partition("[[age_bands]]")
    rest = rest[rest.index("[[carriers]]") :]
    table = "".join(
        f'[[age_bands]]\ncode = "{b.code}"\nlabel_fr = "{b.label_fr}"\n'
        f"min_age = {b.min_age}\nmax_age = {b.max_age}\n\n"
        for b in bands
    )
    if contiguous:
        assert len(read_edition(head + table + rest).age_bands) == len(bands)
    else:
        with pytest.raises(InvalidInput, match=r"mine\.toml.*\n.*@ \$\.age_bands\[\d\]\.min_age"):
            read_edition(head + table + rest, source="mine.toml")


def _custom(tmp_path: pathlib.Path, edition_id: str = "mon-enquete", extra: str = "") -> str:
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "anct-2021"', f'id = "{edition_id}"')
    path = tmp_path / f"{edition_id}.toml"
    path.write_text(text + extra, encoding="utf-8")
    return str(path)


def _renamed_funder(folder: pathlib.Path) -> str:
    """A custom edition whose State funder has another code (no politique de la ville)."""
    text = Path(_custom(folder, "sans-etat")).read_text(encoding="utf-8")
    text = text.replace('code = "state_politique_ville"', 'code = "etat_ville"', 1)
    path = folder / "sans-etat.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_custom_edition_works_end_to_end(cohort, tmp_path, capsys):
    programme, pathways = cohort
    edition_file = _custom(tmp_path)
    survey = r.national.load_edition(edition_file)
    ret = build_return(pathways, programme, r.SchoolYear(2017), declared=DECLARED, survey=survey)
    assert ret.edition_digest == survey.digest
    back = loads(dumps(ret), PreReturn)
    with pytest.raises(InvalidValue, match="mon-enquete"):
        synthesise([back])
    nation = synthesise([back], survey=survey)
    assert "Synthèse nationale" in nation.to_text(survey=survey)
    with pytest.raises(InvalidValue, match="mon-enquete"):
        KeyFigures.of(nation)
    key = KeyFigures.of(nation, survey=survey)
    assert key.children_supported == nation.figure("children_supported", survey=survey).value
    with pytest.raises(InvalidValue, match="mon-enquete"):
        Evolution.of([*PUBLISHED, nation])
    table = Evolution.of([*PUBLISHED, nation], surveys=[survey])
    assert key in table.rows
    # an edition without the State's politique de la ville funder: that key figure unknown
    (tmp_path / "plain").mkdir()
    plain = r.national.load_edition(_renamed_funder(tmp_path / "plain"))
    ret_plain = build_return(
        pathways, programme, r.SchoolYear(2017), declared=DECLARED, survey=plain
    )
    nation_plain = synthesise([ret_plain], survey=plain)
    figures = KeyFigures.of(nation_plain, survey=plain)
    assert figures.state_funding_euros is None
    assert figures.children_supported == key.children_supported
    assert Evolution.of([nation_plain], surveys=[plain]).rows == (figures,)
    (tmp_path / "twin").mkdir()
    food = '\n[[in_kind_types]]\ncode = "food"\nlabel_fr = "Repas"\nkeywords = ["repas"]\n'
    other = r.national.load_edition(_custom(tmp_path / "twin", extra=food))  # same id
    for surveys in ([survey, other], survey, [1]):
        with pytest.raises(InvalidValue, match="surveys"):
            Evolution.of([nation], surveys=surveys)  # type: ignore[arg-type]
    fiche = tmp_path / "fiche.json"
    fiche.write_text(dumps(ret), encoding="utf-8")
    assert main(["synthesis", str(fiche)]) == 1
    assert "--edition" in capsys.readouterr().err
    assert main(["synthesis", str(fiche), "--edition", edition_file]) == 0
    assert "Enfants accompagnés : 195" in capsys.readouterr().out


def test_another_edition_under_a_shipped_id_is_told_apart(cohort, tmp_path, capsys):
    programme, pathways = cohort
    twin_file = _custom(
        tmp_path,
        "anct-2021",
        '\n[[in_kind_types]]\ncode = "food"\nlabel_fr = "Repas"\nkeywords = ["repas"]\n',
    )
    twin = r.national.load_edition(twin_file)
    assert twin.digest != EDITIONS["anct-2021"].digest
    ret = build_return(pathways[:30], programme, r.SchoolYear(2017), survey=twin)
    fiche = tmp_path / "fiche.json"
    fiche.write_text(dumps(ret), encoding="utf-8")
    assert main(["synthesis", str(fiche)]) == 1
    assert f"{fiche} : construite avec une autre édition" in capsys.readouterr().err
    assert main(["synthesis", str(fiche), "--edition", twin_file]) == 0


# --- the command line names the file for every refusal ---------------------------------------


def test_every_merge_conflict_names_the_file(cohort, built, tmp_path, capsys):
    programme, pathways = cohort
    one = tmp_path / "one.json"
    one.write_text(dumps(built), encoding="utf-8")
    cases = {
        "twice.json": (built, "PRE déjà compté"),
        "year.json": (attrs.evolve(built, programme_id="b", school_year=2016), "année scolaire"),
        "money.json": (
            attrs.evolve(built, programme_id="c", money=attrs.evolve(built.money, year=2017)),
            "année des financements 2017",
        ),
        "edition.json": (
            attrs.evolve(
                build_return(pathways[:20], programme, r.SchoolYear(2017), survey="cget-2015"),
                programme_id="d",
            ),
            "édition cget-2015",
        ),
    }
    for name, (ret, message) in cases.items():
        other = tmp_path / name
        other.write_text(dumps(ret), encoding="utf-8")
        assert main(["synthesis", str(one), str(other)]) == 1
        assert f"{other} : {message}" in capsys.readouterr().err
    unknown = tmp_path / "unknown.json"
    unknown.write_text(dumps(built).replace('"anct-2021"', '"anct-2022"'), encoding="utf-8")
    assert main(["synthesis", str(unknown)]) == 1
    assert f"{unknown} : édition « anct-2022 » inconnue" in capsys.readouterr().err


def test_suppress_is_refused_for_json(capsys):
    cohort = str(r.sample_path("cohort"))
    code = main(
        ["return", cohort, "-", "--school-year", "2017", "--suppress", "5", "--format", "json"]
    )
    assert code == 2
    assert "--suppress ne s'applique pas au format json" in capsys.readouterr().err


# --- suppression ------------------------------------------------------------------------------


def _possible(values, sums, masked, key, bound=60):
    """The values the masked count ``key`` can take given what is published.

    The sums of a return form a tree: ``supported = followed + collective``, ``followed``
    and ``exits`` each the sum of their breakdowns. For each value the masked wholes can
    take, a breakdown is possible when its masked parts (at least 1 each: zeros are
    published) make up the rest; a masked part then takes any value that leaves the
    others at least 1.
    """
    known = {n: v for n, v in values.items() if n not in masked}

    def parts_of(whole):
        return [parts for w, parts in sums if w == whole]

    def breakdowns_ok(whole, total):
        for parts in parts_of(whole):
            rest = total - sum(known.get(p, 0) for p in parts)
            hidden = [p for p in parts if p in masked]
            if (not hidden and rest != 0) or (hidden and rest < len(hidden)):
                return False
        return True

    def candidates(whole):
        if whole in known:
            return [known[whole]] if breakdowns_ok(whole, known[whole]) else []
        return [t for t in range(1, bound) if breakdowns_ok(whole, t)]

    found = set()
    top = "supported" in values
    for followed in candidates("followed"):
        if top:
            collective = ("collective", known.get("collective"))
            supported = known.get("supported")
            options = []
            if supported is not None and collective[1] is not None:
                options = (
                    [(supported, collective[1])] if supported - collective[1] == followed else []
                )
            elif supported is not None:
                options = [(supported, supported - followed)] if supported - followed >= 1 else []
            elif collective[1] is not None:
                options = [(followed + collective[1], collective[1])]
            else:
                options = [(followed + c, c) for c in range(1, bound)]
            if not options:
                continue
            if key == "supported":
                found |= {o[0] for o in options}
            if key == "collective":
                found |= {o[1] for o in options}
        if key == "followed":
            found.add(followed)
        for parts in parts_of("followed"):
            if key in parts:
                rest = followed - sum(known.get(p, 0) for p in parts)
                others = sum(1 for p in parts if p in masked) - 1
                found |= set(range(1, rest - others + 1))
    for exits in candidates("exits"):
        if key == "exits":
            found.add(exits)
        for parts in parts_of("exits"):
            if key in parts:
                rest = exits - sum(known.get(p, 0) for p in parts)
                others = sum(1 for p in parts if p in masked) - 1
                found |= set(range(1, rest - others + 1))
    if key == "entries":
        found = set(range(1, bound))
    return found


@st.composite
def small_returns(draw, built):
    followed = draw(st.integers(0, 9))
    exits = draw(st.integers(0, 6))

    def split(total, codes):
        if not total:
            return ()
        cuts = sorted(draw(st.lists(st.integers(0, total), max_size=len(codes) - 1)))
        bounds = [0, *cuts, total]
        parts = [b - a for a, b in itertools.pairwise(bounds)]
        return tuple(Count(code=c, n=n) for c, n in zip(codes, parts, strict=False) if n)

    children = attrs.evolve(
        built.children,
        in_pathway=followed,
        collective_only=draw(st.none() | st.integers(0, 6)),
        by_sex=split(followed, ["F", "M"]),
        by_age_band=split(followed, ["2-5", "6-10", "11-16"]),
        by_referral_source=split(followed, ["education_nationale", "caf", "family"]),
    )
    pathways = attrs.evolve(
        built.pathways,
        entries=draw(st.integers(0, 6)),
        exits=exits,
        exits_by_reason=split(exits, ["objectives_met", "moved_away"]),
        durations_months=(),
    )
    return attrs.evolve(built, children=children, pathways=pathways)


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(2, 6))
def test_no_masked_count_can_be_recomputed_from_what_is_published(built, data, k):
    ret = data.draw(small_returns(built))
    values, sums = children_counts(ret)
    masked = masked_counts(ret, k)
    assert {n for n, v in values.items() if 0 < v < k} <= masked
    published = {n: v for n, v in values.items() if n not in masked}
    assert all(v == 0 or v >= k for v in published.values())
    for key in masked:
        assert len(_possible(values, sums, masked, key)) >= 2, key
    text = ret.to_text(suppress_below=k) + ret.to_csv(suppress_below=k)
    for line in text.splitlines():
        if line.startswith(("Sexe", "Âge", "Orientés", "Sorties :")):
            value = line.rsplit(" : ", 1)[1]
            assert (
                value == SECRET
                or int(value.replace("\u202f", "")) == 0
                or int(value.replace("\u202f", "")) >= k
            )


def test_the_reviewed_case_no_longer_reveals_the_collective_count(built):
    text = built.to_text(suppress_below=5)
    assert "Enfants en actions collectives seulement : secret" in text
    assert "Enfants accompagnés (total) : secret" in text
    with pytest.raises(InvalidValue, match="suppress_below"):
        built.to_text(suppress_below=0)


# --- French and the evolution table -----------------------------------------------------------


def test_the_synthesis_is_in_french_with_agreed_nouns(built):
    text = synthesise([built]).to_text()
    assert "department_social" not in text
    assert "family_withdrawal" not in text
    assert "orientés par : service social départemental (MDS)" in text
    assert "(1 PRE répondant)" in text
    assert "répondants)" not in text
    assert "1 postes" not in built.to_text()
    assert "1 poste," in built.to_text()


def test_the_evolution_table_refuses_what_it_would_drop(built):
    nation = synthesise([built])
    with pytest.raises(InvalidValue, match="at least one"):
        Evolution.of([])
    with pytest.raises(InvalidValue, match="one synthesis per year"):
        Evolution.of([nation, synthesise([attrs.evolve(built, programme_id="x")])])
    rows = {row.year: row.source for row in Evolution.of([*PUBLISHED, nation]).rows}
    assert rows["2017-2018"] == "synthèse"
