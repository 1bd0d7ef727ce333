"""reussite: the rules, indicators and budget of France's Programme de Réussite Éducative.

The public API is re-exported here; everything else is private by convention.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .budget import (
    BudgetLine,
    BudgetSummary,
    classify_expense,
    classify_funding,
    load_ledger,
)
from .calendar import age_on, months_between
from .codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    Attainment,
    ExitReason,
    HandoverRecipient,
    NotTakenOnReason,
    ObjectiveDomain,
    ObjectiveStatus,
    PriorityEducation,
    ReferralReason,
    ReferralSource,
    SchoolLevel,
    SchoolLevelGroup,
    Sex,
)
from .decision import Assessment, TeamDecision
from .ending import Exit, ExitProposal, Handover, NotTakenOn
from .errors import (
    EventRefused,
    InvalidInput,
    InvalidLifecycle,
    InvalidValue,
    NotInForce,
    PathwayClosed,
    ReussiteError,
    VersionConflict,
)
from .events import (
    EVENT_TYPES,
    ActionEnded,
    ActionPlanned,
    Admitted,
    Assessed,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    DeclaredIneligible,
    Event,
    ExitProposed,
    ExitRejected,
    ExitValidated,
    FamilyRefused,
    HandedOver,
    ObjectiveSet,
    ObjectiveUpdated,
    Redirected,
    ReferentChanged,
    Referred,
    Reviewed,
    Started,
)
from .indicators import INDICATORS, NOT_APPLICABLE, Indicator, Report, annual_report
from .lifecycle import LIFECYCLE, Lifecycle, Transition, apply, open_pathway, replay
from .pathway import Pathway, State
from .people import Child, Family, Guardian
from .periods import CalendarYear, DateRange, Period, SchoolYear
from .plan import Action, Objective, Review, derive_attainment
from .programme import (
    Eligibility,
    EligibilityCriterion,
    Programme,
    ProgrammeRules,
    Referent,
    SupportTeam,
    Territory,
    assess_eligibility,
)
from .referral import Consent, Referral
from .rules import RULES, Rule
from .samples import sample_path
from .timeline import Timeline

try:
    __version__ = _version("reussite")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "EVENT_TYPES",
    "INDICATORS",
    "LIFECYCLE",
    "NOT_APPLICABLE",
    "RULES",
    "Action",
    "ActionEnded",
    "ActionFunding",
    "ActionKind",
    "ActionPlanned",
    "ActionTiming",
    "Admitted",
    "Assessed",
    "Assessment",
    "Attainment",
    "BudgetLine",
    "BudgetSummary",
    "CalendarYear",
    "Child",
    "Consent",
    "ConsentGiven",
    "ConsentWithdrawn",
    "ContactLost",
    "DateRange",
    "DeclaredIneligible",
    "Eligibility",
    "EligibilityCriterion",
    "Event",
    "EventRefused",
    "Exit",
    "ExitProposal",
    "ExitProposed",
    "ExitReason",
    "ExitRejected",
    "ExitValidated",
    "Family",
    "FamilyRefused",
    "Guardian",
    "HandedOver",
    "Handover",
    "HandoverRecipient",
    "Indicator",
    "InvalidInput",
    "InvalidLifecycle",
    "InvalidValue",
    "Lifecycle",
    "NotInForce",
    "NotTakenOn",
    "NotTakenOnReason",
    "Objective",
    "ObjectiveDomain",
    "ObjectiveSet",
    "ObjectiveStatus",
    "ObjectiveUpdated",
    "Pathway",
    "PathwayClosed",
    "Period",
    "PriorityEducation",
    "Programme",
    "ProgrammeRules",
    "Redirected",
    "Referent",
    "ReferentChanged",
    "Referral",
    "ReferralReason",
    "ReferralSource",
    "Referred",
    "Report",
    "ReussiteError",
    "Review",
    "Reviewed",
    "Rule",
    "SchoolLevel",
    "SchoolLevelGroup",
    "SchoolYear",
    "Sex",
    "Started",
    "State",
    "SupportTeam",
    "TeamDecision",
    "Territory",
    "Timeline",
    "Transition",
    "VersionConflict",
    "__version__",
    "age_on",
    "annual_report",
    "apply",
    "assess_eligibility",
    "classify_expense",
    "classify_funding",
    "derive_attainment",
    "load_ledger",
    "months_between",
    "open_pathway",
    "replay",
    "sample_path",
]
