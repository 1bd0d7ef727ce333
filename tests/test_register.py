from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import InlinePool, scaled
from reussite.cli import main
from reussite.indicators import annual_report
from reussite.periods import SchoolYear
from reussite.privacy import export_pseudonymised
from reussite.samples import sample_path
from reussite.serialization import _shards, load_cohort, map_cohort
from test_indicators_cohorts import followed
from test_serialization import cohort_text

D = dt.date
KEY = bytes.fromhex("b80433ed315b97e8e6383b2c56a74a026f51af5e11817b22ec2c13dfa0a76f3e")


def reentry(p: r.Pathway, previous: str) -> r.Pathway:
    """``p`` again, naming ``previous`` as the child's earlier pathway."""
    events = list(p.history)
    events[0] = attrs.evolve(events[0], previous_pathway_id=previous)
    return r.replay(events, programme=p.programme)


def test_two_open_pathways_of_one_child_are_refused():
    first = followed("p-1", D(2017, 10, 2))
    second = followed("p-2", D(2018, 1, 8))
    with pytest.raises(r.RegisterConflict) as refused:
        r.check_register([first, second])
    assert refused.value.rule == "R-ONE-OPEN-PATHWAY"
    assert (refused.value.pathway_id, refused.value.other_id) == ("p-2", "p-1")
    assert "still open" in str(refused.value)


def test_a_new_pathway_after_the_end_is_accepted_and_one_on_the_end_day_is_not():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    later = followed("p-2", D(2018, 5, 2))  # referred 30 days before admission: 2018-04-02
    assert len(r.check_register([first, later])) == 2
    assert len(r.check_register([later, first])) == 2  # in any order
    on_the_day = followed("p-3", D(2018, 3, 31))  # referred on 2018-03-01
    with pytest.raises(r.RegisterConflict, match="R-ONE-OPEN-PATHWAY"):
        r.check_register([first, on_the_day])


def test_a_reentry_must_name_an_ended_pathway_of_the_same_child():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    again = reentry(followed("p-2", D(2018, 5, 2)), "p-1")
    assert len(r.check_register([first, again])) == 2
    assert len(r.check_register([again, first])) == 2  # named before it is met
    other = reentry(followed("p-3", D(2018, 5, 2), child="enf-9"), "p-1")
    with pytest.raises(r.RegisterConflict, match=r"R-REENTRY.*child 'enf-1'"):
        r.check_register([first, other])
    register = r.Register()
    register.check(other, line=2)
    with pytest.raises(r.RegisterConflict, match="R-REENTRY") as refused:
        register.check(first, line=3)  # the re-entry, met first, is the one refused
    conflict = refused.value
    assert (conflict.pathway_id, conflict.other_id, conflict.line) == ("p-3", "p-1", 2)
    assert conflict.recorded
    assert conflict.also == ()
    assert register.pathways == {first.programme.id: {"p-1": first.child.id}}
    assert len(register.children[first.programme.id]) == 1  # the re-entry's child is gone
    in_order = r.Register()
    in_order.check(first, line=3)
    with pytest.raises(r.RegisterConflict, match="R-REENTRY") as refused:
        in_order.check(other, line=2)
    assert str(refused.value) == str(conflict)  # the same words, whichever came first
    assert not refused.value.recorded


def test_a_pathway_showing_two_reentries_wrong_names_both_and_keeps_the_good_one():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    good = reentry(followed("p-2", D(2018, 5, 2)), "p-1")
    wrong = [reentry(followed(f"p-{n}", D(2018, 5, 2), child=f"enf-{n}"), "p-1") for n in (3, 4)]
    register = r.Register()
    for line, p in enumerate([wrong[0], good, wrong[1]], start=2):
        register.check(p, line=line)
    with pytest.raises(r.RegisterConflict) as refused:
        register.check(first, line=5)
    assert [(c.pathway_id, c.line) for c in (refused.value, *refused.value.also)] == [
        ("p-3", 2),
        ("p-4", 4),
    ]
    assert sorted(register.pathways[first.programme.id]) == ["p-1", "p-2"]
    assert register.waiting == {}


def test_two_overlapping_pathways_are_each_named_with_their_own_dates():
    later = followed("p-1", D(2017, 12, 4))  # referred 2017-11-04, open
    earlier = followed("p-2", D(2017, 10, 2), exit_on=D(2018, 3, 1))  # referred 2017-09-02
    with pytest.raises(r.RegisterConflict) as refused:
        r.check_register([later, earlier])
    text = str(refused.value)
    assert "pathway 'p-1', referred on 2017-11-04 and still open" in text
    assert "pathway 'p-2' is referred on 2017-09-02 and ended on 2018-03-01" in text


def test_a_reentry_naming_itself_is_refused_when_opened():
    p = followed("p-1", D(2017, 10, 2))
    with pytest.raises(r.EventRefused, match="R-REENTRY"):
        reentry(p, "p-1")


def test_a_child_id_names_one_child():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    other = followed("p-2", D(2018, 5, 2), birth_date=D(2010, 1, 1))
    with pytest.raises(r.RegisterConflict, match="R-ONE-CHILD"):
        r.check_register([first, other])


def test_the_family_of_the_child_is_the_family_referred():
    with pytest.raises(r.EventRefused, match="R-FAMILY-ID"):
        followed("p-1", D(2017, 10, 2), family_id="fam-2")


def test_the_same_pathway_is_refused_in_memory_and_in_a_file():
    p = followed("p-1", D(2017, 10, 2))
    q = followed("p-2", D(2017, 10, 2), child="enf-2")
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        r.check_register([p, q, p])
    text = cohort_text([p, q, p])
    with (
        load_cohort(io.StringIO(text), check_register=True) as cohort,
        pytest.raises(r.InvalidInput) as refused,
    ):
        list(cohort)
    assert "R-UNIQUE-PATHWAY" in str(refused.value)
    assert "line 4" in str(refused.value)
    with load_cohort(io.StringIO(text), on_error="collect", check_register=True) as cohort:
        assert [x.id for x in cohort] == ["p-1", "p-2"]  # the good pathways are kept
    assert cohort.error_count == 1
    with pytest.raises(r.InvalidValue, match="check_register"):
        load_cohort(io.StringIO(text), check_register="yes")  # type: ignore[arg-type]


def test_the_register_refuses_what_is_not_a_pathway():
    with pytest.raises(r.InvalidValue):
        r.check_register(["p-1"])  # type: ignore[list-item]
    with pytest.raises(r.InvalidValue):
        r.Register().merge("x")  # type: ignore[arg-type]


_P = followed("p-1", D(2017, 10, 2))
_ENTRY = r.Register.entry(_P, line=2)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: r.check_register(None), "check_register.pathways"),
        (lambda: r.check_register(_P), "check_register.pathways"),
        (lambda: r.Register().check(_P, line="x"), "Register.check.line"),
        (lambda: r.Register().check(_P, line=-1), "Register.check.line"),
        (lambda: r.Register().check_entry(None), "Register.check_entry"),
        (lambda: r.Register().check_entry(_ENTRY[:3]), "Register.check_entry"),
        (lambda: r.Register().check_entry((*_ENTRY[:2], "2010-01-01", _ENTRY[3])), "check_entry"),
        (
            lambda: r.Register().check_entry(
                (*_ENTRY[:3], (_ENTRY[3][0], "2017-09-02", *_ENTRY[3][2:]))
            ),
            "Register.check_entry",
        ),
        (lambda: r.Register(children=1), "Register.children"),
        (lambda: r.Register(children={"pre": 1}), "Register.children"),
        (lambda: r.Register(pathways={"pre": {"p-1": 3}}), "Register.pathways"),
        (lambda: r.Register(waiting=[]), "Register.waiting"),
        (
            lambda: annual_report([], SchoolYear(2017), as_of=D(2018, 8, 31), check_register="yes"),
            "check_register",
        ),
        (lambda: r.Referent(id="ref-1", name="A").fte_on(None), "Referent.fte_on.on"),
        (
            lambda: r.Referent(id="ref-1", name="A").fte_days("2018-01-01", D(2018, 2, 1)),
            "fte_days.start",
        ),
        (
            lambda: _P.programme.referent_fte_on(dt.datetime(2018, 1, 1, tzinfo=dt.UTC)),
            "Referent.fte_on.on",
        ),
    ],
)
def test_bad_arguments_get_a_located_error_not_a_python_one(call, argument):
    """Review of issue 14: these raised TypeError or AttributeError, or were accepted."""
    with pytest.raises(r.InvalidValue, match=argument.replace(".", r"\.")):
        call()


def test_a_well_formed_entry_is_checked_as_its_pathway():
    register = r.Register()
    register.check_entry(_ENTRY)
    with pytest.raises(r.RegisterConflict, match=r"R-UNIQUE-PATHWAY.*\(the first time \(line 2\)"):
        register.check(_P, line=5)


@settings(max_examples=40, deadline=None)
@given(rs.invalid_cohorts())
def test_every_entry_point_refuses_an_invalid_cohort_the_same_way(case):
    """The API, the report (in one pass and merged), the export, the loader and the
    command line refuse the last pathway of an invalid cohort, naming its rule."""
    pathways, rule = case
    *good, last = pathways
    r.check_register(good)
    refusals: list[r.RegisterConflict] = []
    year, as_of = SchoolYear(2017), max(p.last_event_on for p in pathways)
    for refuse in (
        lambda: r.check_register(pathways),
        lambda: annual_report(pathways, year, as_of=as_of),
        lambda: annual_report(good, year, as_of=as_of).merge(
            annual_report([last], year, as_of=as_of)
        ),
        lambda: export_pseudonymised(
            pathways, key=KEY, purpose="evaluation", as_of=as_of, out=io.StringIO()
        ),
    ):
        with pytest.raises(r.RegisterConflict) as refused:
            refuse()
        refusals.append(refused.value)
    assert {(x.rule, x.pathway_id) for x in refusals[:2] + refusals[3:]} == {(rule, last.id)}
    assert refusals[2].rule == rule  # merged: the pathway met second may be the other one
    text = cohort_text(pathways)
    with load_cohort(io.StringIO(text), on_error="collect") as cohort:
        kept = list(cohort)
    assert kept == good
    assert cohort.error_count == 1
    assert f"[{rule}]" in str(cohort.errors[0])
    assert cohort.errors[0].line == len(pathways) + 1  # the header is line 1
    with tempfile.TemporaryDirectory() as folder:
        path, key = Path(folder) / "cohorte.jsonl", Path(folder) / "cle"
        path.write_text(text, encoding="utf-8")
        key.write_bytes(KEY)
        key.chmod(0o600)
        for argv in (
            ["validate", str(path)],
            ["report", str(path), "--year", str(as_of.year)],
            [
                "export",
                "--purpose",
                "evaluation",
                "--key-file",
                str(key),
                "--as-of",
                f"{as_of}",
                f"{path}",
            ],
        ):
            errors = io.StringIO()
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                assert main(argv) == 1, argv
            assert f"[{rule}]" in errors.getvalue(), argv


@settings(max_examples=30)
@given(rs.cohorts(max_size=8))
def test_generated_cohorts_pass_and_registers_of_any_split_merge(pathways):
    whole = r.check_register(pathways)
    for cut in range(len(pathways) + 1):
        left, right = r.check_register(pathways[:cut]), r.check_register(pathways[cut:])
        assert left.merge(right) == whole
        assert len(left) + len(right) == len(whole)
    if pathways:
        with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
            whole.merge(whole)


def test_invalid_cohorts_refuse_impossible_arguments():
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument):
        rs.invalid_cohorts(rules=["R-FINAL"])
    with pytest.raises(InvalidArgument):
        rs.invalid_cohorts(rules=[])


def test_children_gives_every_child_its_birth_date_and_spans():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    later = followed("p-2", D(2018, 5, 2))
    other = followed("p-3", D(2018, 5, 2), child="enf-9")
    register = r.check_register([first, later, other])
    (children,) = register.children.values()
    birth, spans = children[first.child.id]
    assert birth == first.child.birth_date
    assert [s[:4] for s in spans] == [
        ("p-1", first.referral.on, D(2018, 3, 1), None),
        ("p-2", later.referral.on, None, None),
    ]
    assert [s[0] for s in children["enf-9"][1]] == ["p-3"]
    assert len(register) == 3


def test_a_register_is_rebuilt_from_its_children():
    first = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 3, 1))
    later = followed("p-2", D(2018, 5, 2))
    other = followed("p-3", D(2018, 5, 2), child="enf-9")
    register = r.check_register([first, later, other])
    again = r.Register(children=register.children, pathways=register.pathways)
    assert again == register
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        again.check(other)


SEED_HEADER, *SEED_LINES = sample_path("cohort").read_bytes().splitlines(keepends=True)


def _seed_line(pathway_id: str) -> bytes:
    (line,) = (x for x in SEED_LINES if x.startswith(f'{{"id":"{pathway_id}"'.encode()))
    return line


# par-0001-b, re-entry of par-0001's child, made to name par-0050, another child's pathway
_WRONG_REENTRY = _seed_line("par-0001-b").replace(
    b'"previous_pathway_id":"par-0001"', b'"previous_pathway_id":"par-0050"'
)
_LINES = {
    "par-0001": _seed_line("par-0001"),
    "par-0001-b": _WRONG_REENTRY,
    "par-0050": _seed_line("par-0050"),
    "par-0004": _seed_line("par-0004"),
    "par-0004-b": _seed_line("par-0004-b"),  # a good re-entry
    "par-0002": _seed_line("par-0002"),
}


@settings(max_examples=scaled(120), deadline=None)
@given(order=st.permutations(sorted(_LINES)))
def test_a_wrong_reentry_is_the_pathway_refused_in_any_order_by_every_reader(
    order,
):
    """Issue 14: which pathways are kept does not depend on the file's order."""
    assert _seed_line("par-0001-b") != _WRONG_REENTRY
    text = SEED_HEADER + b"".join(_LINES[i] for i in order)
    line = order.index("par-0001-b") + 2
    with load_cohort(io.BytesIO(text), on_error="collect") as cohort:
        kept = [p.id for p in cohort]
    assert sorted(set(kept) - set(cohort.withdrawn)) == sorted(set(_LINES) - {"par-0001-b"})
    assert [e.line for e in cohort.errors] == [line]
    (message,) = cohort.errors[0].errors
    assert message.startswith("[R-REENTRY] pathway 'par-0001-b': pathway 'par-0001-b' (child ")
    assert "names 'par-0050' as its earlier pathway, which is child 'enf-0050''s (line " in message
    assert f"(line {order.index('par-0050') + 2}) @ $" in message
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohorte.jsonl"
        path.write_bytes(text)
        with pytest.MonkeyPatch.context() as patch:  # shards of a line or two, in process
            patch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
            patch.setattr(_shards, "_MIN_SHARD", 1)
            for jobs in (1, 3):
                read = map_cohort(path, _count, jobs=jobs, on_error="collect")
                assert (read.valid, read.errors, read.error_count) == (5, tuple(cohort.errors), 1)
                assert read.withdrawn == tuple(cohort.withdrawn)
        with load_cohort(path) as raising:
            with pytest.raises(r.InvalidInput) as refused:
                list(raising)
            assert list(raising) == []  # as after any first problem in "raise" mode
        assert str(refused.value).endswith(f"{message} (line {line})")
        assert raising.line == line


def _count(pathways, programme):
    return sum(1 for _ in pathways)


def test_validate_counts_a_wrong_reentry_met_first_as_refused_with_any_jobs(capsys, tmp_path):
    path = tmp_path / "cohorte.jsonl"
    others = [x for x in SEED_LINES if x != _seed_line("par-0001-b")]
    path.write_bytes(SEED_HEADER + _WRONG_REENTRY + b"".join(others))
    outputs = []
    for jobs in ("1", "2"):  # real worker processes
        assert main(["validate", str(path), "--format", "json", "--jobs", jobs]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    validated = json.loads(outputs[0])
    assert (validated["valid"], validated["invalid"]) == (293, 1)
    assert "[R-REENTRY] pathway 'par-0001-b'" in outputs[0]
    assert '"line": 2' in outputs[0]


def _retyped(p: r.Pathway, child: r.Pathway, on: dt.date) -> r.Pathway:
    """``p`` with its referral corrected on ``on`` to name ``child``'s child and family."""
    referral = p.history[0]
    fixed = attrs.evolve(referral, child=child.child, family=child.family, recorded_on=None)
    return r.apply(
        p, r.Corrected(on=on, corrected_version=1, replacement=fixed, reason="x", by="c")
    )


@pytest.mark.parametrize("created", [True, False], ids=["conflict-after", "conflict-before"])
def test_the_register_checks_the_data_as_known_on_the_date_read(created, tmp_path, capsys):
    """Review of issue 14: the register checked the pathways as corrected today while the
    report read them as known on D, so a report of D could not be reproduced (a conflict
    made after D), or data refused on D were counted (a conflict put right after D)."""
    day = D(2018, 9, 15)
    a = followed("p-1", D(2017, 10, 2))
    b = followed("p-2", D(2018, 1, 8), child="enf-2")
    if created:  # b is a's child since a correction recorded after the day
        b = _retyped(b, a, D(2018, 10, 1))
    else:  # b was typed as a's child, put right after the day
        wrong = _retyped(followed("p-2", D(2018, 1, 8), child="enf-2"), a, D(2018, 1, 9))
        b = _retyped(wrong, followed("p-2", D(2018, 1, 8), child="enf-2"), D(2018, 10, 1))
    known = [r.as_known_on(p, day) for p in (a, b)]
    assert all(p is not None for p in known)
    year = SchoolYear(2017)

    def outcome(read):
        try:
            return read()
        except (r.RegisterConflict, r.InvalidInput) as error:
            return "R-ONE-OPEN-PATHWAY" in str(error)

    cut = outcome(lambda: annual_report(known, year, as_of=year.end).figures)  # a copy on D
    assert cut is True if not created else isinstance(cut, tuple)
    full = tmp_path / "full.jsonl"
    full.write_text(cohort_text([a, b]), encoding="utf-8")
    readings = [
        lambda: annual_report([a, b], year, as_of=year.end, known_on=day).figures,
        lambda: (
            annual_report(
                load_cohort(full, known_on=day), year, as_of=year.end, check_register=False
            ).figures
        ),
    ]
    for read in readings:
        assert outcome(read) == cut
    outputs = []
    for jobs in ("1", "2"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
            patch.setattr(_shards, "_MIN_SHARD", 1)
            argv = [
                "report",
                str(full),
                "--school-year",
                "2017",
                "--known-on",
                f"{day}",
                "--format",
                "csv",
            ]
            status = main([*argv, "--jobs", jobs])
        outputs.append((status, capsys.readouterr()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == (0 if created else 1)


@settings(max_examples=scaled(100), deadline=None)
@given(order=st.permutations([*sorted(_LINES), "good par-0001-b"]))
def test_the_documented_filter_keeps_exactly_what_every_count_calls_valid(order):
    """Review of issue 20 (round 28): a later line with the id of a withdrawn re-entry
    was accepted, so filtering by id dropped it too; the id stays taken."""
    lines = {**_LINES, "good par-0001-b": _seed_line("par-0001-b")}
    text = SEED_HEADER + b"".join(lines[i] for i in order)
    with load_cohort(io.BytesIO(text), on_error="collect") as cohort:
        kept = list(cohort)
    valid = [p for p in kept if p.id not in cohort.withdrawn]
    assert len(valid) == len(kept) - len(cohort.withdrawn) == len(lines) - cohort.error_count
    assert len({p.id for p in valid}) == len(valid)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohorte.jsonl"
        path.write_bytes(text)
        read = map_cohort(path, _count, jobs=1, on_error="collect")
    assert (read.valid, read.withdrawn, read.errors) == (
        len(valid),
        tuple(cohort.withdrawn),
        tuple(cohort.errors),
    )


def test_a_wrong_reentry_met_first_then_again_right_keeps_its_first_line_taken():
    wrong = reentry(followed("p-3", D(2018, 5, 2)), "p-9")  # another child's pathway
    named = followed("p-9", D(2017, 10, 2), child="enf-9", exit_on=D(2018, 3, 1))
    register = r.Register()
    register.check(wrong, line=2)
    with pytest.raises(r.RegisterConflict) as late:
        register.check(named, line=3)
    assert late.value.recorded
    assert register.withdrawn == {named.programme.id: {"p-3": 2}}
    right = followed("p-3", D(2018, 5, 2))
    with pytest.raises(
        r.RegisterConflict, match=r"appears twice .*\(the first time \(line 2\), a re-entry refused"
    ):
        register.check(right, line=4)
    tables = {"children": register.children, "pathways": register.pathways}
    again = r.Register(**tables, withdrawn=register.withdrawn)
    assert again != register  # the tables alone keep no dates of what was withdrawn
    assert attrs.evolve(register) == register  # evolve keeps them
    merged = r.Register().merge(register)
    assert merged.withdrawn == register.withdrawn


def test_a_tally_counts_the_pathway_that_shows_a_counted_reentry_wrong():
    """Review of issue 20 (round 28): the conflict came out of ``add`` for the right
    pathway, which was then left uncounted while the wrong re-entry stayed counted."""
    from reussite.indicators import Tally

    year = SchoolYear(2017)
    wrong = reentry(followed("p-3", D(2017, 11, 2), child="enf-3"), "p-9")
    named = followed("p-9", D(2017, 10, 2), child="enf-9")
    tally = Tally(period=year, as_of=year.end)
    tally.add(wrong)
    with pytest.raises(r.RegisterConflict) as late:
        tally.add(named)
    assert late.value.recorded
    assert late.value.pathway_id == "p-3"
    assert set(tally.children) == {"enf-3", "enf-9"}  # counted; the re-entry cannot be taken back


def test_a_tally_says_the_first_problem_met_when_a_later_one_follows():
    """Review of issue 20 (round 28b): a later plain conflict of the same chunk was raised
    instead, and the re-entry's (the first problem) lost."""
    year = SchoolYear(2017)
    wrong = reentry(followed("p-3", D(2017, 11, 2), child="enf-3"), "p-9")
    named = followed("p-9", D(2017, 10, 2), child="enf-9")
    other = followed("p-5", D(2017, 10, 2), child="enf-5")
    with pytest.raises(r.RegisterConflict) as first:
        annual_report([wrong, named, other, other], year, as_of=year.end)
    assert (first.value.rule, first.value.pathway_id, first.value.recorded) == (
        "R-REENTRY",
        "p-3",
        True,
    )
    assert first.value.__cause__.rule == "R-UNIQUE-PATHWAY"  # the later one, chained
    with pytest.raises(r.RegisterConflict) as checked:
        r.check_register([wrong, named, other, other])
    assert checked.value.pathway_id == "p-3"  # as every entry point says it


def test_a_merge_checks_a_reentry_naming_one_withdrawn_in_the_other_register():
    """Review of issue 20 (round 28b): read in file order, a re-entry naming a re-entry
    that is later withdrawn is checked against it when it comes; the merge kept it."""
    named = followed("p-9", D(2017, 10, 2), child="enf-9", exit_on=D(2018, 3, 1))
    wrong = reentry(followed("p-3", D(2018, 5, 2)), "p-9")  # enf-1 names enf-9's pathway
    naming = reentry(followed("p-4", D(2018, 9, 3), child="enf-4"), "p-3")  # enf-4 names enf-1's
    here, there = r.Register(), r.Register()
    here.check(naming)
    there.check(wrong)
    with pytest.raises(r.RegisterConflict):
        there.check(named)  # shows the re-entry wrong: withdrawn there
    with pytest.raises(r.RegisterConflict) as merged:
        here.merge(there)
    assert (merged.value.pathway_id, merged.value.recorded) == ("p-4", True)
    streamed = r.Register()  # the same, read in this order
    streamed.check(naming)
    for shows_wrong, withdrawn in ((wrong, "p-4"), (named, "p-3")):
        with pytest.raises(r.RegisterConflict) as read:
            streamed.check(shows_wrong)
        assert (read.value.pathway_id, read.value.recorded) == (withdrawn, True)
    assert streamed.withdrawn == {named.programme.id: {"p-4": 0, "p-3": 0}}
    assert r.Register().merge(r.Register()).withdrawn == {}  # no empty entries


def test_a_tally_that_counted_a_withdrawn_reentry_does_not_merge():
    """Review of issue 20 (round 28c): one merge order counted the re-entry's id twice,
    the other raised; a tally holding what it must not count now refuses either way."""
    from reussite.indicators import Tally

    year = SchoolYear(2017)
    wrong = reentry(followed("p-3", D(2017, 11, 2), child="enf-3"), "p-9")
    named = followed("p-9", D(2017, 10, 2), child="enf-9")
    tainted, clean = Tally(period=year, as_of=year.end), Tally(period=year, as_of=year.end)
    tainted.add(wrong)
    with pytest.raises(r.RegisterConflict):
        tainted.add(named)
    clean.add(followed("p-5", D(2017, 10, 2), child="enf-5"))
    for merge in (lambda: tainted.merge(clean), lambda: clean.merge(tainted)):
        with pytest.raises(r.InvalidValue, match=r"count again without them"):
            merge()


def test_a_tally_says_the_first_problem_whatever_the_later_one():
    year = SchoolYear(2017)
    wrong = reentry(followed("p-3", D(2017, 11, 2), child="enf-3"), "p-9")
    named = followed("p-9", D(2017, 10, 2), child="enf-9")
    with pytest.raises(r.RegisterConflict) as first:
        annual_report([wrong, named, "not a pathway"], year, as_of=year.end)
    assert first.value.recorded
    assert isinstance(first.value.__cause__, r.InvalidValue)  # the later one, chained
