"""Sphinx configuration for the reussite documentation."""

from __future__ import annotations

import pathlib

import reussite
from reussite.lifecycle import LIFECYCLE
from reussite.rules import RULES

project = "reussite"
author = "The reussite developers"
copyright = "2026, the reussite developers"
release = reussite.__version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinxcontrib.mermaid",
    "sphinx_copybutton",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
myst_fence_as_directive = ["mermaid"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
nitpicky = False
suppress_warnings = ["myst.xref_missing"]


html_theme = "furo"
html_title = f"reussite {release}"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

# --- generated pages: the lifecycle diagram and the rules come from the code ------------

_GENERATED = pathlib.Path(__file__).parent / "_generated"
_GENERATED.mkdir(exist_ok=True)
(_GENERATED / "lifecycle.mmd").write_text(LIFECYCLE.to_mermaid() + "\n", encoding="utf-8")
_rows = ["| code | rule | règle |", "|---|---|---|"]
_rows += [f"| `{r.code}` | {r.en} | {r.fr} |" for r in RULES.values()]
(_GENERATED / "rules.md").write_text("\n".join(_rows) + "\n", encoding="utf-8")
_table = ["| from | event | to |", "|---|---|---|"]
_table += [
    f"| {t.source.value} | `{t.event.tag}` ({t.event.label_fr}) | {t.target.value} |"
    for t in LIFECYCLE.transitions
]
(_GENERATED / "transitions.md").write_text("\n".join(_table) + "\n", encoding="utf-8")
