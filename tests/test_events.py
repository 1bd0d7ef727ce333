from __future__ import annotations

import re

import attrs

import reussite as r


def test_every_event_type_has_a_unique_snake_case_tag_and_a_french_label():
    tags = [cls.tag for cls in r.EVENT_TYPES.values()]
    assert len(tags) == len(set(tags))
    assert all(re.fullmatch(r"[a-z_]+", t) for t in tags)
    assert all(cls.label_fr for cls in r.EVENT_TYPES.values())


def test_every_event_has_a_date_and_prints_on_one_line(programme):
    from conftest import to_state

    p = to_state(programme, r.State.EXIT_PROPOSED)
    for event in p.history:
        assert event.on is not None
        assert "\n" not in repr(event)
        assert attrs.has(type(event))
