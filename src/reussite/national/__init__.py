"""The national picture: each PRE's yearly return, and the national synthesis of the returns.

Every year each active PRE answers the State's survey (*enquête annuelle de suivi*) for a
school year (children, activity) and the last closed calendar year (money), and the
State publishes a national synthesis. :func:`build_return` computes a PRE's
:class:`PreReturn` from its pathways, its programme and its ledger's budget summary, with
what only the PRE knows given as :class:`Declared`; :func:`synthesise` sums returns into
a :class:`Synthesis` exactly, in any order and any split.

>>> import datetime as dt
>>> import reussite as r
>>> from reussite.national import Declared, build_return, synthesise
>>> from reussite.serialization import load_cohort
>>> with load_cohort(r.sample_path("cohort")) as cohort:
...     ret = build_return(cohort, cohort.programme, r.SchoolYear(2017),
...                        declared=Declared(carrier="epci", children_collective_only=8))
>>> ret.children.in_pathway, ret.children.supported
(192, 200)
>>> nation = synthesise([ret])
>>> nation.figure("children_in_pathway_share").value
96.0

The category lists (age bands, carriers, partners, funders...) are data, per survey
edition (:data:`EDITIONS`: ``anct-2021`` and ``cget-2015``; :func:`load_edition` reads
another), so the real questionnaire can replace them without code.
"""

from ._editions import (
    EDITIONS,
    AgeBandSpec,
    Category,
    FunderSpec,
    InKindTypeSpec,
    StaffFunction,
    SurveyEdition,
    edition,
    load_edition,
    read_edition,
)
from ._evolution import PUBLISHED, Evolution, KeyFigures
from ._return import (
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
    build_return,
    referent_fte_hundredths,
)
from ._synthesis import ITEMS, NationalFigure, Synthesis, Total, synthesise

__all__ = [
    "EDITIONS",
    "ITEMS",
    "PUBLISHED",
    "AgeBandSpec",
    "Bin",
    "Category",
    "Children",
    "Count",
    "Declared",
    "DeclaredPost",
    "Evolution",
    "FunderSpec",
    "Governance",
    "Identity",
    "InKind",
    "InKindTypeSpec",
    "KeyFigures",
    "Money",
    "NationalFigure",
    "PartnerRoles",
    "PathwaysBlock",
    "PreReturn",
    "Staff",
    "StaffFunction",
    "SurveyEdition",
    "Synthesis",
    "Total",
    "build_return",
    "edition",
    "load_edition",
    "read_edition",
    "referent_fte_hundredths",
    "synthesise",
]
