"""The programme's register: the rules that span pathways (*registre des parcours*).

A pathway is checked on its own by the lifecycle; a :class:`Register` checks what lies
between the pathways of a programme, one pathway at a time, keeping a small record per
pathway (its id, the child, its dates), never the pathways themselves:

- a pathway id appears once in a programme's data (``R-UNIQUE-PATHWAY``);
- a child id names one child: the same birth date in every pathway (``R-ONE-CHILD``);
- a child has at most one open pathway in a programme at any date: a new referral comes
  after the earlier pathway ended (``R-ONE-OPEN-PATHWAY``);
- a re-entry names an earlier pathway of the same child, ended before the new referral
  (``R-REENTRY``; an earlier pathway absent from the data, a file of one year say, is not
  checked).

:func:`check_register` checks a data set in memory; the loader
(:func:`~reussite.serialization.load_cohort`) checks a file as it streams, with located
errors; :func:`~reussite.indicators.annual_report` (its tally keeps a register, merged
with it) and :func:`~reussite.privacy.export_pseudonymised` check what they are given.
Of two pathways in conflict, the second met is refused, naming the first; but a
re-entry is the one refused by ``R-REENTRY`` whichever comes first (the rule is about the
earlier pathway it names): when it came first, the pathway that shows it wrong is recorded
and the conflict says so (:attr:`RegisterConflict.recorded`).

>>> from reussite.samples import sample_path
>>> from reussite.serialization import load_cohort
>>> with load_cohort(sample_path("cohort")) as cohort:
...     pathways = list(cohort)
>>> len(check_register(pathways))
294
>>> check_register([pathways[0], pathways[0]])
Traceback (most recent call last):
...
reussite.register.RegisterConflict: [R-UNIQUE-PATHWAY] pathway 'par-0001': appears twice ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from .errors import InvalidValue, ReussiteError
from .pathway import Pathway

__all__ = ["RULE_CODES", "Register", "RegisterConflict", "check_register"]

RULE_CODES = ("R-UNIQUE-PATHWAY", "R-ONE-CHILD", "R-ONE-OPEN-PATHWAY", "R-REENTRY")
"""The rules a register checks (their statements are in :data:`reussite.RULES`)."""


class RegisterConflict(ReussiteError, ValueError):
    """Two pathways of a programme break a rule that spans pathways (*incohérence*).

    Attributes:
        rule: the rule's stable code (``"R-ONE-OPEN-PATHWAY"``).
        pathway_id: the pathway refused: the second met, or a re-entry whatever the order.
        other_id: the pathway it conflicts with, if one.
        detail: what exactly is wrong.
        line: the line the refused pathway was met on (``0`` when not read from a file).
        recorded: ``True`` when the pathway being checked was recorded all the same: it
            showed wrong a re-entry met before it (``pathway_id``), which the register
            has dropped; ``False`` when the pathway being checked is the one refused.
        also: the other re-entries the same pathway showed wrong (rare), each dropped.
    """

    def __init__(
        self,
        *,
        rule: str,
        pathway_id: str,
        other_id: str | None,
        detail: str,
        line: int = 0,
        recorded: bool = False,
        also: tuple[RegisterConflict, ...] = (),
    ) -> None:
        self.rule = rule
        self.pathway_id = pathway_id
        self.other_id = other_id
        self.detail = detail
        self.line = line
        self.recorded = recorded
        self.also = also
        super().__init__(f"[{rule}] pathway {pathway_id!r}: {detail}")


Span = tuple[str, dt.date, dt.date | None, str | None, int]
"""What the register keeps of a pathway: ``(id, referral date, end date or None while
open, the earlier pathway it names, the line it was met on or 0)``."""

Entry = tuple[str, str, dt.date, Span]
"""A pathway as :meth:`Register.check_entry` checks it: ``(programme id, child id, birth
date, span)``."""

_OPEN = dt.date.max
"""The end of a pathway still open, for comparisons."""


Single = tuple[dt.date, str, dt.date, dt.date | None, str | None, int]
"""A child with one pathway, kept flat: ``(birth date, *span)`` (the common case)."""

Several = tuple[dt.date, tuple[Span, ...]]
"""A child with several pathways: ``(birth date, spans in the order met)``."""


@attrs.define
class Register:
    """The pathways of a data set, programme by programme, checked against each other.

    Mutable, like a tally: :meth:`check` adds a pathway or raises, leaving the register as
    it was; :meth:`merge` gives the register of two data sets (shards).

    Attributes:
        children: per programme id, per child id: the child's birth date and pathways
            (a read-only copy; also the constructor's argument, in the same form).
        pathways: per programme id, per pathway id: the child it belongs to.
        waiting: per (programme id, pathway id) not met yet, the re-entries naming it.
        withdrawn: per programme id, the re-entries it recorded then dropped (shown
            wrong by a pathway met after them), with the line each was met on: their
            ids stay taken, so that one met again is the same pathway twice
            (``R-UNIQUE-PATHWAY``), as if the re-entry were still there.
    """

    _records: dict[str, dict[str, Single | Several]] = attrs.field(
        factory=dict, alias="children", repr=False
    )
    """Per programme id, per child id: the child's birth date and pathways, one flat
    tuple while the child has one pathway (a third of the memory of the general form).
    Given as ``children=`` in the documented form (birth date, spans)."""
    pathways: dict[str, dict[str, str]] = attrs.Factory(dict)
    waiting: dict[tuple[str, str], tuple[tuple[str, Span], ...]] = attrs.Factory(dict)
    withdrawn: dict[str, dict[str, int]] = attrs.Factory(dict)
    _spans_withdrawn: dict[tuple[str, str], tuple[str, Span]] = attrs.field(
        factory=dict, alias="spans_withdrawn", repr=False
    )
    """The child and span of each withdrawn re-entry, for a merge to check what named it
    (kept by ``attrs.evolve``, compared by ``==``; a register rebuilt from the documented
    tables alone has none, and cannot)."""
    _dates: dict[dt.date, dt.date] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    """One object per distinct date met: the records share them (a date object per
    pathway would cost a third of the register's memory)."""

    def __attrs_post_init__(self) -> None:
        for name, value, item, form in (
            ("children", self._records, tuple, "(birth date, spans)"),
            ("pathways", self.pathways, str, "child id"),
            ("withdrawn", self.withdrawn, int, "line"),
        ):
            if not _is_records(value, item):
                raise InvalidValue("Register", name, value, f"a dict: programme id -> id -> {form}")
        if type(self.waiting) is not dict:
            raise InvalidValue("Register", "waiting", self.waiting, "a dict")
        if type(self._spans_withdrawn) is not dict:
            raise InvalidValue("Register", "spans_withdrawn", self._spans_withdrawn, "a dict")
        self._records = {
            programme_id: {child_id: _compact(record) for child_id, record in records.items()}
            for programme_id, records in self._records.items()
        }

    @property
    def children(self) -> dict[str, dict[str, tuple[dt.date, tuple[Span, ...]]]]:
        """Per programme id, per child id: the child's birth date and pathways (a copy)."""
        return {
            programme_id: {child_id: _several(record) for child_id, record in records.items()}
            for programme_id, records in self._records.items()
        }

    def __len__(self) -> int:
        return sum(map(len, self.pathways.values()))

    def check(self, pathway: Pathway, *, line: int = 0) -> None:
        """Add ``pathway`` if it agrees with every pathway already in the register.

        Args:
            pathway: the pathway, as its events make it (corrections applied).
            line: the line of the file it was read from, to name it in a later message.

        Raises:
            RegisterConflict: naming the rule, the pathway and the one it conflicts with;
                the register is left unchanged. When ``recorded`` is true, ``pathway``
                was added all the same: it showed wrong a re-entry met before it (the
                conflict's ``pathway_id``, and those in ``also``), taken out of the
                register.
            InvalidValue: if ``pathway`` is not a :class:`~reussite.Pathway`.
        """
        if type(pathway) is not Pathway and not isinstance(pathway, Pathway):
            raise InvalidValue("Register", "check", pathway, "a reussite.Pathway")
        if type(line) is not int or line < 0:
            raise InvalidValue("Register.check", "line", line, "an integer >= 0")
        programme_id = pathway.programme.id
        child = pathway.child
        same = self._dates.setdefault
        referred_on = pathway.referral.on
        end = pathway.exit or pathway.handover or pathway.not_taken_on  # Pathway.ended_on
        record: Single = (
            same(child.birth_date, child.birth_date),
            pathway.id,
            same(referred_on, referred_on),
            None if end is None else same(end.on, end.on),
            pathway.previous_pathway_id,
            line,
        )
        pathway_id = record[1]
        child_id = child.id
        ids = self.pathways.get(programme_id)
        records = self._records.get(programme_id)
        if (  # the common case, quickly: a new pathway of a new child, no re-entry
            ids is not None
            and records is not None
            and record[4] is None
            and pathway_id not in ids
            and child_id not in records
            and (not self.waiting or (programme_id, pathway_id) not in self.waiting)
            and (not self.withdrawn or pathway_id not in self.withdrawn.get(programme_id, ()))
        ):
            records[child_id] = record
            ids[pathway_id] = child_id
            return
        self._add(programme_id, child_id, record[0], record[1:])

    @staticmethod
    def entry(pathway: Pathway, *, line: int = 0) -> Entry:
        """What :meth:`check` keeps of ``pathway``, to be checked elsewhere.

        Another process reads the pathway; :meth:`check_entry` checks it in file order.
        """
        end = pathway.exit or pathway.handover or pathway.not_taken_on
        span: Span = (
            pathway.id,
            pathway.referral.on,
            None if end is None else end.on,
            pathway.previous_pathway_id,
            line,
        )
        return (pathway.programme.id, pathway.child.id, pathway.child.birth_date, span)

    def check_entry(self, entry: Entry) -> None:
        """:meth:`check` for an :meth:`entry`: the same rules, the same messages.

        Raises:
            RegisterConflict: as :meth:`check` (``recorded`` included).
            InvalidValue: if ``entry`` is not of the form :meth:`entry` gives.
        """
        if not _is_entry(entry):
            raise InvalidValue(
                "Register",
                "check_entry",
                entry,
                "(programme id, child id, birth date, (pathway id, referral date, end date "
                "or None, earlier pathway id or None, line)), as Register.entry gives",
            )
        programme_id, child_id, birth, (pathway_id, referred, ended, previous, line) = entry
        same = self._dates.setdefault  # shared dates, as check keeps them
        span: Span = (
            pathway_id,
            same(referred, referred),
            None if ended is None else same(ended, ended),
            previous,
            line,
        )
        self._add(programme_id, child_id, same(birth, birth), span)

    def _add(self, programme_id: str, child_id: str, birth: dt.date, span: Span) -> None:
        pathway_id, _, _, previous, line = span
        ids = self.pathways.setdefault(programme_id, {})
        children = self._records.setdefault(programme_id, {})
        owner = ids.get(pathway_id)
        withdrawn_on = self.withdrawn.get(programme_id, {}).get(pathway_id)
        if owner is not None or withdrawn_on is not None:
            met, whose = (
                (self._where(programme_id, owner, pathway_id), f"for child {owner!r}")
                if owner is not None
                else (withdrawn_on, "a re-entry refused by a later line")
            )
            raise RegisterConflict(
                rule="R-UNIQUE-PATHWAY",
                pathway_id=pathway_id,
                other_id=pathway_id,
                detail=(
                    f"appears twice in programme {programme_id!r} (the first time"
                    f"{_at(met or 0)}, {whose}): each pathway appears once in the data "
                    "(and in one shard)"
                ),
                line=line,
            )
        known = children.get(child_id)
        spans: tuple[Span, ...] = ()
        if known is not None:
            known_birth, spans = _several(known)
            if known_birth != birth:
                first = spans[0]
                raise RegisterConflict(
                    rule="R-ONE-CHILD",
                    pathway_id=pathway_id,
                    other_id=first[0],
                    detail=(
                        f"child {child_id!r} has another birth date in pathway {first[0]!r}"
                        f"{_at(first[4])}: a child id names one child (correct one of them)"
                    ),
                    line=line,
                )
            for other in spans:
                self._compare(child_id, span, other)
        pending = previous is not None and not self._reentry(programme_id, child_id, span)
        # nothing raised: record it
        children[child_id] = (birth, (*spans, span)) if spans else (birth, *span)
        ids[pathway_id] = child_id
        if pending:
            assert previous is not None
            named = self.waiting.setdefault((programme_id, previous), ())
            self.waiting[(programme_id, previous)] = (*named, (child_id, span))
        waiting = self.waiting.pop((programme_id, pathway_id), ())
        refused: list[RegisterConflict] = []
        for other_child, other in waiting:  # met earlier, naming this one as their earlier
            try:
                self._fits(programme_id, child_id, span, other_child, other)
            except RegisterConflict as conflict:  # the re-entry is wrong, not this one
                self._drop(programme_id, other_child, other[0])
                refused.append(conflict)
        if refused:
            raise _late(refused)

    def _drop(self, programme_id: str, child_id: str, pathway_id: str) -> None:
        """Take a pathway out of the register (a re-entry refused once its earlier came).

        Its id stays taken (:attr:`withdrawn`).
        """
        span = self._span(programme_id, child_id, pathway_id)
        self.withdrawn.setdefault(programme_id, {})[pathway_id] = span[4]
        self._spans_withdrawn[programme_id, pathway_id] = (child_id, span)
        del self.pathways[programme_id][pathway_id]
        records = self._records[programme_id]
        birth, spans = _several(records[child_id])
        kept = tuple(span for span in spans if span[0] != pathway_id)
        if kept:
            records[child_id] = _compact((birth, kept))
        else:
            del records[child_id]

    def _compare(self, child_id: str, span: Span, other: Span) -> None:
        """``R-ONE-OPEN-PATHWAY``: the two pathways of one child do not overlap."""
        first, second = (other, span) if other[1] <= span[1] else (span, other)
        if (first[2] or _OPEN) < second[1]:
            return
        raise RegisterConflict(
            rule="R-ONE-OPEN-PATHWAY",
            pathway_id=span[0],
            other_id=other[0],
            detail=(
                f"child {child_id!r} already has pathway {other[0]!r}{_at(other[4])}, "
                f"{_dates(other)}, and pathway {span[0]!r} is {_dates(span)}: the two "
                "overlap, and a child has one open pathway at a time (a new referral comes "
                "after the earlier pathway ended)"
            ),
            line=span[4],
        )

    def _reentry(self, programme_id: str, child_id: str, span: Span) -> bool:
        """``R-REENTRY``: the earlier pathway named fits; ``False`` when not met yet."""
        previous = span[3]
        assert previous is not None
        owner = self.pathways[programme_id].get(previous)
        if owner is None:
            return False  # not in the data (yet): checked when it comes
        self._fits(programme_id, owner, self._span(programme_id, owner, previous), child_id, span)
        return True

    def _fits(
        self, programme_id: str, earlier_child: str, earlier: Span, child_id: str, later: Span
    ) -> None:
        """``R-REENTRY``: re-entry ``later`` may name ``earlier``; else ``later`` is refused.

        The re-entry is the pathway refused whichever of the two was met first: the rule
        is about the earlier pathway it names.
        """
        if earlier_child != child_id:
            detail = (
                f"pathway {later[0]!r} (child {child_id!r}) names {earlier[0]!r} as its "
                f"earlier pathway, which is child {earlier_child!r}'s"
            )
        elif earlier[2] is None or earlier[2] >= later[1]:
            ended = "still open" if earlier[2] is None else f"ended on {earlier[2]}"
            detail = (
                f"pathway {later[0]!r} (referred on {later[1]}) names {earlier[0]!r} as its "
                f"earlier pathway, which is {ended}: a child re-enters once the earlier "
                "pathway has ended"
            )
        else:
            return
        raise RegisterConflict(
            rule="R-REENTRY",
            pathway_id=later[0],
            other_id=earlier[0],
            detail=f"{detail}{_at(earlier[4], ' (', ')')}",
            line=later[4],
        )

    def _span(self, programme_id: str, child_id: str, pathway_id: str) -> Span:
        for span in _several(self._records[programme_id][child_id])[1]:
            if span[0] == pathway_id:
                return span
        raise AssertionError(pathway_id)  # pragma: no cover - the index names it

    def _where(self, programme_id: str, child_id: str, pathway_id: str) -> int:
        return self._span(programme_id, child_id, pathway_id)[4]

    def merge(self, other: Register) -> Register:
        """A new register holding the pathways of both (neither is changed).

        Rule: as if this register's data were read, then ``other``'s; a re-entry here
        naming a re-entry withdrawn there is checked against it, as it would have been
        when that one came (unless ``other`` was rebuilt from its tables, which keep no
        dates of withdrawn re-entries).

        Raises:
            RegisterConflict: at the first pathway of ``other`` that conflicts with this
                one's (duplicates across shards included).
        """
        if not isinstance(other, Register):
            raise InvalidValue("Register", "merge", other, "a Register")
        merged = Register(
            children={k: dict(v) for k, v in self._records.items()},
            pathways={k: dict(v) for k, v in self.pathways.items()},
            waiting=dict(self.waiting),
            withdrawn={k: dict(v) for k, v in self.withdrawn.items()},
        )
        merged._spans_withdrawn.update(self._spans_withdrawn)
        refused: list[RegisterConflict] = []
        for programme_id, withdrawn in other.withdrawn.items():  # refused there already
            here = merged.pathways.get(programme_id, {})
            for pathway_id, line in withdrawn.items():
                if pathway_id in here:  # a duplicate of this one's, gone anyway
                    continue
                merged.withdrawn.setdefault(programme_id, {}).setdefault(pathway_id, line)
                known = other._spans_withdrawn.get((programme_id, pathway_id))
                if known is None:  # rebuilt from its tables: its dates are not known
                    continue
                merged._spans_withdrawn[programme_id, pathway_id] = known
                # read in this order, the re-entries here naming it met it before it went
                for child_id, span in merged.waiting.pop((programme_id, pathway_id), ()):
                    try:
                        merged._fits(programme_id, known[0], known[1], child_id, span)
                    except RegisterConflict as conflict:
                        merged._drop(programme_id, child_id, span[0])
                        refused.append(conflict)
        if refused:
            raise _late(refused)
        for programme_id, records in other._records.items():
            for child_id, record in records.items():
                birth, spans = _several(record)
                for span in spans:
                    merged._add(programme_id, child_id, birth, span)
        return merged


def _late(refused: list[RegisterConflict]) -> RegisterConflict:
    """The conflict of re-entries recorded earlier, then dropped.

    The first names the conflict, the others are in ``also``; ``recorded``, since the
    pathway that showed them wrong was kept.
    """
    first, *others = refused
    return RegisterConflict(
        rule=first.rule,
        pathway_id=first.pathway_id,
        other_id=first.other_id,
        detail=first.detail,
        line=first.line,
        recorded=True,
        also=tuple(others),
    )


def _is_entry(entry: object) -> bool:
    """Whether ``entry`` has the form of :meth:`Register.entry`, every item of its type."""
    if type(entry) is not tuple or len(entry) != 4 or type(entry[3]) is not tuple:
        return False
    programme_id, child_id, birth, span = entry
    if len(span) != 5:
        return False
    pathway_id, referred, ended, previous, line = span
    return (
        type(programme_id) is str
        and type(child_id) is str
        and type(birth) is dt.date
        and type(pathway_id) is str
        and type(referred) is dt.date
        and (ended is None or type(ended) is dt.date)
        and (previous is None or type(previous) is str)
        and type(line) is int
        and line >= 0
    )


def _is_records(value: object, item: type) -> bool:
    """Whether ``value`` is ``{programme id: {id: item}}`` (the register's tables)."""
    return type(value) is dict and all(
        type(k) is str and type(v) is dict and all(type(x) is item for x in v.values())
        for k, v in value.items()
    )


def _several(record: Single | Several) -> Several:
    """A child's record in the general form: ``(birth date, spans)``."""
    if len(record) == 2:
        return record
    return (record[0], (record[1:],))


def _compact(record: Single | Several) -> Single | Several:
    """A child's record as kept: flat while the child has one pathway."""
    if len(record) == 2 and len(record[1]) == 1:
        return (record[0], *record[1][0])
    return record


def _dates(span: Span) -> str:
    """A pathway's dates, for a message: ``referred on …, ended on …`` (or still open)."""
    ended = f"ended on {span[2]}" if span[2] is not None else "still open"
    return f"referred on {span[1]} and {ended}"


def _at(line: int, before: str = " (", after: str = ")") -> str:
    return f"{before}line {line}{after}" if line else ""


def check_register(pathways: Iterable[Pathway]) -> Register:
    """Check the pathways of a data set against each other; return their register.

    Rule (*registre des parcours*): unique pathway ids, one child per child id, one open
    pathway per child and programme at any date, re-entries after the earlier pathway
    ended (see :class:`Register`).

    Raises:
        RegisterConflict: at the first pathway in conflict with one met before it.
        InvalidValue: if ``pathways`` is not an iterable, or an item not a
            :class:`~reussite.Pathway`.
    """
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue("check_register", "pathways", pathways, "an iterable of Pathway")
    register = Register()
    for pathway in pathways:
        register.check(pathway)
    return register
