"""The evolution table of the national syntheses, over several years, and its chart."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

import attrs

from .. import _validate as v
from .._french import number_fr
from .._optional import missing
from ..errors import InvalidValue
from ._editions import SurveyEdition
from ._synthesis import Synthesis

__all__ = ["PUBLISHED", "Evolution", "KeyFigures"]

_OPTIONAL_COUNT = v.optional(v.integer(min_value=0))


@attrs.frozen(kw_only=True)
class KeyFigures:
    """The key figures of one year of the national picture (*chiffres clés*).

    From a :class:`~reussite.national.Synthesis` (:meth:`of`), or as published
    (:data:`PUBLISHED`); ``None`` where a figure is not known.

    Attributes:
        year: the year as the source names it (``"2014-2015"``, ``"2011"``).
        source: ``"synthèse"`` (computed by reussite) or the publication it comes from.
        pres_active: PREs active at the reference date.
        children_supported: children supported in the year.
        posts: staff posts.
        fte: staff full-time equivalent.
        direct_funding_euros: direct funding (whole euros).
        state_funding_euros: the State's politique de la ville funding (whole euros).
        total_per_pre_euros: mean budget per answering PRE, direct and in kind.
        cost_per_child_euros: direct funding per child supported.
    """

    year: str = attrs.field(validator=v.pattern(r"[0-9]{4}(-[0-9]{4})?", "a year or YYYY-YYYY"))
    source: str = attrs.field(validator=v.text(max_length=200))
    pres_active: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    children_supported: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    posts: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    fte: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    direct_funding_euros: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    state_funding_euros: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    total_per_pre_euros: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)
    cost_per_child_euros: int | None = attrs.field(default=None, validator=_OPTIONAL_COUNT)

    @classmethod
    def of(cls, synthesis: Synthesis, *, survey: SurveyEdition | None = None) -> KeyFigures:
        """The key figures of a synthesis, rounded to whole units as syntheses publish them.

        ``survey``: the edition of the synthesis's returns, when it is not a shipped one
        (as for :meth:`Synthesis.figures`). A key figure the edition does not ask for (a
        custom edition without the State's *politique de la ville* funder, say) is
        ``None``, as one not known.

        Raises:
            InvalidValue: if ``synthesis`` is not a :class:`Synthesis`, or its edition is
                neither shipped nor ``survey``.
        """
        if not isinstance(synthesis, Synthesis):
            raise InvalidValue("KeyFigures", "synthesis", synthesis, "a Synthesis")
        figures = {f.id: f.value for f in synthesis.figures(survey=survey)}

        def whole(figure_id: str) -> int | None:  # None: not known, or not in the edition
            value = figures.get(figure_id)
            return None if value is None else round(value)

        answered_money = synthesis.answered("money")
        answered_staff = synthesis.answered("staff")
        return cls(
            year=f"{synthesis.school_year}-{synthesis.school_year + 1}",
            source="synthèse",
            pres_active=whole("pres_active"),
            children_supported=whole("children_supported")
            if synthesis.answered("children.collective_only")
            else None,
            posts=whole("posts") if answered_staff else None,
            fte=whole("fte") if answered_staff else None,
            direct_funding_euros=whole("direct_funding") if answered_money else None,
            state_funding_euros=whole("direct_funding.state_politique_ville")
            if answered_money
            else None,
            total_per_pre_euros=whole("total_per_pre"),
            cost_per_child_euros=whole("cost_per_child"),
        )


_COLUMNS = (
    ("pres_active", "PRE actifs"),
    ("children_supported", "Enfants accompagnés"),
    ("posts", "Postes"),
    ("fte", "ETP"),
    ("direct_funding_euros", "Financements directs (€)"),
    ("state_funding_euros", "dont État, politique de la ville (€)"),
    ("total_per_pre_euros", "Budget moyen par PRE (€)"),
    ("cost_per_child_euros", "Coût par enfant (€)"),
)


def _published() -> tuple[KeyFigures, ...]:
    text = resources.files(__package__).joinpath("published.toml").read_text(encoding="utf-8")
    return tuple(KeyFigures(**row) for row in tomllib.loads(text)["years"])


PUBLISHED: tuple[KeyFigures, ...] = _published()
"""Key figures of the national syntheses as published (sources in ``published.toml``),
for the years the evolution table shows beside the ones synthesised."""


@attrs.frozen(kw_only=True)
class Evolution:
    """The evolution table of the national syntheses: one row of key figures per year.

    >>> table = Evolution.of(PUBLISHED)
    >>> [row.year for row in table.rows][:2]
    ['2011', '2012-2013']
    """

    rows: tuple[KeyFigures, ...]

    @classmethod
    def of(
        cls,
        items: Iterable[Synthesis | KeyFigures],
        *,
        surveys: Iterable[SurveyEdition] = (),
    ) -> Evolution:
        """The table of syntheses and published key figures, by year.

        A synthesis replaces the published figures of its year. ``surveys``: the
        editions of syntheses whose editions are not shipped (one per edition id; a
        year's survey can change from one year to the next).

        Raises:
            InvalidValue: for no item at all, an item that is neither, two syntheses
                (or two published rows) of the same year, a synthesis of an edition
                neither shipped nor in ``surveys``, or two surveys with one id.
        """
        if isinstance(items, str | bytes) or not isinstance(items, Iterable):
            raise InvalidValue("Evolution", "items", items, "Synthesis or KeyFigures values")
        if isinstance(surveys, SurveyEdition) or not isinstance(surveys, Iterable):
            raise InvalidValue("Evolution", "surveys", surveys, "an iterable of SurveyEdition")
        custom: dict[str, SurveyEdition] = {}
        for survey in surveys:
            if not isinstance(survey, SurveyEdition):
                raise InvalidValue("Evolution", "surveys", survey, "an iterable of SurveyEdition")
            if custom.setdefault(survey.id, survey).digest != survey.digest:
                raise InvalidValue(
                    "Evolution", "surveys", survey.id, f"one edition per id ({survey.id} twice)"
                )
        by_year: dict[str, KeyFigures] = {}
        for item in items:
            row = (
                KeyFigures.of(item, survey=custom.get(item.edition))
                if isinstance(item, Synthesis)
                else item
            )
            if not isinstance(row, KeyFigures):
                raise InvalidValue("Evolution", "items", item, "Synthesis or KeyFigures values")
            had = by_year.get(row.year)
            synthesised = row.source == "synthèse"
            if had is not None and (had.source == "synthèse") == synthesised:
                kind = "synthesis" if synthesised else "published row"
                raise InvalidValue(
                    "Evolution", "items", row.year, f"one {kind} per year ({row.year} twice)"
                )
            if had is None or synthesised:
                by_year[row.year] = row
        if not by_year:
            raise InvalidValue("Evolution", "items", (), "at least one synthesis or published row")
        return cls(rows=tuple(by_year[y] for y in sorted(by_year)))

    def to_text(self) -> str:
        """The table in French, one line per figure, one column per year."""
        header = ["", *(row.year for row in self.rows)]
        lines = [header]
        for name, label in _COLUMNS:
            values = [getattr(row, name) for row in self.rows]
            lines.append([label, *("—" if x is None else number_fr(x) for x in values)])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        return (
            "\n".join(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(line, widths, strict=True))
                ).rstrip()
                for line in lines
            )
            + "\n"
        )

    def to_csv(self) -> str:
        """The table as CSV (``;``): one row per year."""
        names = [name for name, _ in _COLUMNS]
        out = ["année;source;" + ";".join(names)]
        for row in self.rows:
            values = ("" if getattr(row, n) is None else str(getattr(row, n)) for n in names)
            out.append(f"{row.year};{row.source};" + ";".join(values))
        return "\n".join(out) + "\n"

    def plot(self, ax: Any = None) -> Any:
        """A chart of the children supported and the PREs active, year by year.

        Needs matplotlib (the ``charts`` extra); returns the matplotlib ``Figure``.

        Raises:
            MissingOptionalDependency: if matplotlib is not installed.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - the dev extra installs it
            raise missing("matplotlib", extra="charts", needed_by="Evolution.plot") from None
        if ax is None:
            figure, ax = plt.subplots(figsize=(8, 4))
        else:
            figure = ax.figure
        years = [row.year for row in self.rows]
        children = [row.children_supported for row in self.rows]
        ax.bar(
            [y for y, c in zip(years, children, strict=True) if c is not None],
            [c for c in children if c is not None],
            color="#4c72b0",
            label="Enfants accompagnés",
        )
        ax.set_ylabel("enfants accompagnés")
        ax.set_title("Programme de réussite éducative : évolution nationale")
        other = ax.twinx()
        pres = [(y, row.pres_active) for y, row in zip(years, self.rows, strict=True)]
        known = [(y, p) for y, p in pres if p is not None]
        other.plot(
            [y for y, _ in known], [p for _, p in known], "o-", color="#dd8452", label="PRE actifs"
        )
        other.set_ylabel("PRE actifs")
        other.set_ylim(0, max((p for _, p in known), default=1) * 1.2)
        figure.legend(loc="lower center", ncols=2, frameon=False)
        figure.tight_layout(rect=(0, 0.08, 1, 1))
        return figure
