"""Files written by earlier versions (schema 2: reussite 0.1; 3: no recording dates) load."""

from __future__ import annotations

import io
import json

import pytest

import reussite as r
from conftest import D, as_version_3, make_programme, to_state
from reussite.samples import sample_path
from reussite.serialization import SCHEMA_VERSION, dump_pathway, load_cohort, load_pathway


def as_version(document: str, version: int) -> dict[str, object]:
    value = as_version_3(json.loads(document))
    value["version"] = version
    return value


def as_version_2(document: str) -> dict[str, object]:
    return as_version(document, 2)


def test_the_schema_is_version_4() -> None:
    assert SCHEMA_VERSION == 4


@pytest.mark.parametrize("version", [2, 3])
def test_the_bundled_cohort_written_as_an_older_version_reads_the_same(version: int) -> None:
    current = sample_path("cohort").read_text(encoding="utf-8").splitlines()
    header = as_version_3(json.loads(current[0]))
    assert header["version"] == 4
    header["version"] = version
    lines = [json.dumps(as_version_3(json.loads(line))) for line in current[1:]]
    old = "\n".join([json.dumps(header), *lines])
    with load_cohort(io.StringIO(old)) as before, load_cohort(sample_path("cohort")) as now:
        assert list(before) == list(now)


def test_a_version_3_label_on_recording_dates_is_refused() -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    document = json.loads(dump_pathway(p))
    document["version"] = 3
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(json.dumps(document))
    assert 'found a recording date "recorded_on"' in caught.value.errors[0]
    assert caught.value.errors[0].endswith("@ $.events[0].recorded_on")


@pytest.mark.parametrize("version", [2, 3])
def test_a_referent_dated_under_an_older_label_is_refused(version: int) -> None:
    """Review of issue 14: a version-3 header carrying referent dates was read as is."""
    lines = sample_path("cohort").read_text(encoding="utf-8").splitlines()
    header = as_version_3(json.loads(lines[0]))
    header["version"] = version
    header["programme"]["referents"][1]["left_on"] = "2018-06-30"
    old = "\n".join(
        [json.dumps(header), *(json.dumps(as_version_3(json.loads(x))) for x in lines[1:3])]
    )
    with pytest.raises(r.InvalidInput) as caught:
        load_cohort(io.StringIO(old))
    assert 'found a dated referent "left_on"' in caught.value.errors[0]
    assert caught.value.errors[0].endswith("@ $.programme.referents[1].left_on (line 1)")
    p = to_state(make_programme(), r.State.ACTIVE)
    document = as_version_3(json.loads(dump_pathway(p)))
    document["version"] = version
    document["programme"]["referents"][0]["joined_on"] = None  # written by a later version
    with pytest.raises(r.InvalidInput, match=r'dated referent "joined_on".*referents\[0\]'):
        load_pathway(json.dumps(document))


def test_a_version_2_state_is_derived_again_by_the_version_3_rules() -> None:
    p = to_state(make_programme(), r.State.ADMITTED)
    p = r.apply(p, r.ConsentWithdrawn(on=D(2017, 11, 8), by="g-1"))
    old = as_version_2(dump_pathway(p))
    old["state"] = "closed"  # what version 2 derived for a withdrawal after admission
    loaded = load_pathway(json.dumps(old))
    assert loaded.state is r.State.NOT_TAKEN_ON
    assert loaded == p


def test_a_version_2_handover_to_another_service_is_located_with_its_remedy() -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    p = r.apply(
        p,
        r.HandedOver(
            handover=r.Handover(
                on=D(2018, 1, 5), recipient=r.HandoverRecipient.ASE, parents_informed=True
            )
        ),
    )
    old = as_version_2(dump_pathway(p))
    old["events"][-1]["handover"]["recipient"] = "other_service"  # type: ignore[index]
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(json.dumps(old))
    (line,) = caught.value.errors
    assert "record exit_proposed with reason relay_specialised or relay_mainstream" in line
    assert line.endswith(f"@ $.events[{p.version - 1}].handover.recipient")


def test_a_version_2_label_on_version_3_content_is_refused() -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    p = r.apply(p, r.Suspended(on=D(2018, 2, 1), reason=r.SuspensionReason.HOLIDAYS))
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(json.dumps(as_version_2(dump_pathway(p))))
    assert "expected the format of version 2, found a 'suspended' event" in caught.value.errors[0]


def test_every_new_event_round_trips() -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    review = r.Reviewed(review=r.Review(on=D(2018, 3, 5), summary="a"))
    for event in (
        r.Suspended(on=D(2018, 2, 5), reason=r.SuspensionReason.HOLIDAYS, until=D(2018, 3, 1)),
        r.SituationChanged(
            situation=r.Situation(on=D(2018, 2, 6), commune="13014", school_level=r.SchoolLevel.CM2)
        ),
        r.Resumed(on=D(2018, 3, 2)),
        r.Reassessed(
            assessment=r.Assessment(on=D(2018, 3, 3)),
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2018, 3, 4), members_present=("coord", "ien")
            ),
            objectives=(r.Objective(id="obj-9", domain=r.ObjectiveDomain.HEALTH, label="Soins"),),
        ),
        review,
    ):
        p = r.apply(p, event)
    fixed = r.Reviewed(review=r.Review(on=D(2018, 3, 5), summary="b"))
    p = r.apply(
        p,
        r.Corrected(
            on=D(2018, 3, 6), corrected_version=p.version, replacement=fixed, reason="x", by="c"
        ),
    )
    p = r.apply(
        p, r.Corrected(on=D(2018, 3, 7), corrected_version=p.version, reason="undo", by="c")
    )
    text = dump_pathway(p)
    assert load_pathway(text) == p
    assert load_pathway(text.encode()) == p
    pretty = json.dumps(json.loads(text), indent=2)  # the general path, not the mirror
    assert load_pathway(pretty) == p


def test_a_correction_cannot_nest_a_correction() -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    doc = json.loads(dump_pathway(p))
    inner = {"type": "corrected", "on": "2018-01-02", "corrected_version": 2,
             "replacement": None, "reason": "x", "by": "c"}  # fmt: skip
    doc["events"].append(
        {
            "type": "corrected",
            "on": "2018-01-03",
            "corrected_version": 2,
            "replacement": inner,
            "reason": "x",
            "by": "c",
        }
    )
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(json.dumps(doc))
    assert "replacement" in caught.value.errors[0]
