"""Sphinx configuration for the reussite documentation.

Every table that states what the library does (lifecycle, rules, indicators, budget
nomenclatures, command-line help) is generated here from the code at build time, into
``_generated/``, so the documentation cannot drift from the library.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import os
import pathlib
from importlib import resources

# Hypothesis loads ``reussite.strategies`` through its entry point when it is first
# imported; importing it first keeps autodoc's import of ``reussite.strategies`` (and
# ``reussite.testing``) from running into a circular import.
import hypothesis  # noqa: F401
from sphinx.pycode import ModuleAnalyzer

import reussite
from reussite.budget import DEFAULT_RULES, AccountRule, ExpenseCategory, FundingCategory
from reussite.budget import Side as BudgetSide
from reussite.cli import main as cli_main
from reussite.indicators import INDICATORS, annual_report, format_fr
from reussite.lifecycle import LIFECYCLE
from reussite.periods import SchoolYear
from reussite.rules import RULES
from reussite.serialization import load_cohort

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
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]
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

# --- generated pages: what the code declares, written out at build time -----------------

_GENERATED = pathlib.Path(__file__).parent / "_generated"
_GENERATED.mkdir(exist_ok=True)


def _write(name: str, lines: list[str]) -> None:
    """Write a generated file, leaving it untouched when nothing changed (no rebuild)."""
    path = _GENERATED / name
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


# The lifecycle: the Mermaid diagram, the transitions and the rules.
_write("lifecycle.mmd", [LIFECYCLE.to_mermaid()])
_write(
    "rules.md",
    ["| code | rule | règle |", "|---|---|---|"]
    + [f"| `{r.code}` | {r.en} | {r.fr} |" for r in RULES.values()],
)
_write(
    "transitions.md",
    ["| from | event | to |", "|---|---|---|"]
    + [
        f"| {t.source.value} | `{t.event.tag}` ({t.event.label_fr}) | {t.target.value} |"
        for t in LIFECYCLE.transitions
    ]
    + [
        f"| every state, final ones included | `{e.tag}` ({e.label_fr}) | the state the "
        "corrected history leads to |"
        for e in sorted(LIFECYCLE.amendments, key=lambda e: e.tag)
    ],
)


# The indicators: each definition, with its figure over the bundled synthetic cohort.
def _seed_report() -> reussite.Report:
    year = SchoolYear(2017)
    data = resources.files("reussite") / "data" / "pays-salonais-2017-2018.jsonl"
    with resources.as_file(data) as path, load_cohort(path) as cohort:
        return annual_report(cohort, year, as_of=year.end, programme=cohort.programme)


def _indicator_pages() -> None:
    report = _seed_report()
    values: dict[str, list[str]] = {}
    for figure in report.figures:
        shown = format_fr(figure.value, figure.indicator.kind, figure.indicator.unit)
        if figure.category_label_fr is not None:
            shown = f"{figure.category_label_fr} {shown}"
        values.setdefault(figure.indicator.id, []).append(shown)
    summary = [
        "| indicator | French label | kind | unit | 2017/2018, synthetic cohort |",
        "|---|---|---|---|---|",
    ]
    details: list[str] = []
    for ind in INDICATORS.values():
        shown = values.get(ind.id, [])
        short = shown[0] if ind.breakdown is None and shown else f"{len(shown)} categories"
        summary.append(
            f"| [`{ind.id}`](#{ind.id.replace('_', '-')}) | {_cell(ind.label_fr)} "
            f"| {ind.kind.value} | {ind.unit.value} | {_cell(short)} |"
        )
        details += [
            f"### {ind.id}",
            "",
            f"**{ind.label_fr}**. {ind.description}",
            "",
            f"Kind\n: {ind.kind.value} (*{ind.kind.label_fr}*), in {ind.unit.value} "
            f"(*{ind.unit.label_fr}*); definition version {ind.version}",
            "",
            f"Numerator\n: {ind.numerator}",
            "",
            f"Denominator\n: {ind.denominator or 'none: a plain number'}",
            "",
        ]
        if ind.breakdown is not None:
            details += [f"Split by\n: {ind.breakdown}", ""]
        details += [
            f"What counts in the period\n: {ind.in_period}",
            "",
            f"Pays Salonais 2017/2018 (synthetic cohort)\n: {'; '.join(shown)}",
            "",
        ]
    _write("indicators-summary.md", summary)
    _write("indicators.md", details)


_indicator_pages()


# The budget nomenclatures: each category with the accounts and keywords that lead to it.
_CHARTS = {
    "pcg": "PCG",
    "pcg_asso_2018": "ANC 2018-06",
    "cerfa_12156": "CERFA",
    "m57": "M57",
    "m14": "M14",
}


def _category_rows(side: BudgetSide, categories: list[ExpenseCategory] | list[FundingCategory]):
    accounts: dict[object, list[str]] = {c: [] for c in categories}
    keywords: dict[object, list[str]] = {c: [] for c in categories}
    for rule in DEFAULT_RULES:
        if rule.side is not side or rule.category is None:
            continue
        if isinstance(rule, AccountRule):
            where = f" {_CHARTS.get(rule.chart.value, rule.chart.value)}" if rule.chart else ""
            when = f" when the label says so (« {rule.example} »)" if rule.when else ""
            accounts[rule.category].append(f"`{rule.prefix}`{where}{when}")
            for refined in rule.refine:  # the label's keywords may say another category
                accounts[refined].append(f"`{rule.prefix}`{where} when the label says so")
        elif rule.example:
            keywords[rule.category].append(f"« {rule.example} »")
    rows = [
        "| category | French | English | CERFA 12156 line | accounts (PCG unless a chart is named) "
        "| keyword rule, e.g. |",
        "|---|---|---|---|---|---|",
    ]
    for c in categories:
        cerfa = f"`{c.cerfa_line.value}` {c.cerfa_line.label_fr}" if c.cerfa_line else "none"
        rows.append(
            f"| `{c.value}` | {_cell(c.label_fr)} | {_cell(c.label_en)} | {_cell(cerfa)} "
            f"| {_cell(', '.join(accounts[c]) or '—')} | {_cell(', '.join(keywords[c]) or '—')} |"
        )
    return rows


_write("budget-expenses.md", _category_rows(BudgetSide.EXPENSE, list(ExpenseCategory)))
_write("budget-funding.md", _category_rows(BudgetSide.FUNDING, list(FundingCategory)))


# The command line: each sub-command's --help, as the installed program prints it.
_COMMANDS = ("demo", "report", "validate", "schema", "budget", "export", "lifecycle", "rules")


def _cli_help(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli_main([*argv, "--help"])
    return out.getvalue().rstrip()


def _cli_page() -> None:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "90"
    try:
        lines = ["```text", "$ python -m reussite --help", _cli_help(), "```", ""]
        for command in _COMMANDS:
            lines += [
                f"## `{command}`",
                "",
                "```text",
                f"$ python -m reussite {command} --help",
                _cli_help(command),
                "```",
                "",
            ]
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    _write("cli.md", lines)


_cli_page()


# The constants a package re-exports from its private modules: autodoc finds no docstring
# for data imported into a package, so their descriptions are read from where they are
# defined and written as ``py:data`` entries.
_CONSTANT_PACKAGES = (
    "reussite.indicators",
    "reussite.budget",
    "reussite.serialization",
    "reussite.privacy",
)


def _constant_docs(package: str) -> dict[str, str]:
    docs: dict[str, str] = {}
    module = importlib.import_module(package)
    folder = pathlib.Path(module.__file__ or "").parent
    for path in sorted(folder.glob("_*.py")):
        analyzer = ModuleAnalyzer.for_module(f"{package}.{path.stem}")
        for (scope, name), lines in analyzer.find_attr_docs().items():
            if scope == "":
                docs.setdefault(name, "\n".join(lines).strip())
    return docs


def _constants_page(package: str) -> None:
    module = importlib.import_module(package)
    docs = _constant_docs(package)
    lines = ["```{eval-rst}"]
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value):
            continue
        text = docs.get(name) or f"A constant of type ``{type(value).__name__}``."
        lines += [f".. py:data:: {name}", f"   :module: {package}", ""]
        lines += [f"   {line}" if line else "" for line in text.splitlines()]
        lines.append("")
    lines.append("```")
    _write(f"constants-{package.rsplit('.', 1)[-1]}.md", lines)


for _package in _CONSTANT_PACKAGES:
    _constants_page(_package)
