"""The default rule set: account codes and French keywords a PRE budget uses.

The rules are data: ``default_rules.toml`` beside this module, in the same format as a
user's rule file (:func:`read_rules`). Sources and reasoning for each row:
``shared/design/reference/budget-research.md`` (sections 2, 5.4 and 5.5). Every rule
has an ``example`` (or, for an unconditioned account rule, any label) that the rule set
checks it decides when it is built.
"""

from __future__ import annotations

from importlib import resources

from ._rulefile import read_rules

__all__ = ["DEFAULT_RULES", "DEFAULT_RULES_FILE"]

#: The name of the packaged file the default rules are read from.
DEFAULT_RULES_FILE = "default_rules.toml"

#: The rule set :func:`classify` uses unless given another.
DEFAULT_RULES = read_rules(
    (resources.files(__package__) / DEFAULT_RULES_FILE).read_text(encoding="utf-8"),
    source=f"reussite/budget/{DEFAULT_RULES_FILE}",
)
