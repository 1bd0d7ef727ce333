"""Sphinx configuration for the reussite documentation.

Every table that states what the library does (lifecycle, rules, indicators, budget
nomenclatures, command-line help) is generated here from the code at build time, into
``_generated/``, so the documentation cannot drift from the library.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import importlib
import inspect
import io
import os
import pathlib
import re
import shutil
import subprocess
from importlib import resources

import attrs

# Hypothesis loads ``reussite.strategies`` through its entry point when it is first
# imported; importing it first keeps autodoc's import of ``reussite.strategies`` (and
# ``reussite.testing``) from running into a circular import.
import hypothesis  # noqa: F401
from sphinx.pycode import ModuleAnalyzer

import reussite
from reussite.budget import DEFAULT_RULES, AccountRule, ExpenseCategory, FundingCategory
from reussite.budget import Side as BudgetSide
from reussite.cli import main as cli_main
from reussite.cli._french import french_argparse
from reussite.indicators import INDICATORS, annual_report, format_fr
from reussite.lifecycle import LIFECYCLE
from reussite.pathway import State
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
    "sphinx_copybutton",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"  # attrs fields: their Attributes only
autodoc_default_options: dict[str, object] = {}
autodoc_preserve_defaults = True  # ``rules=DEFAULT_RULES``, not the rule set's repr
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


# The lifecycle: the diagram (SVG drawn by Graphviz, no network needed to show it), the
# events that keep a state (self-loops, listed rather than drawn), the Mermaid text, the
# transitions and the rules.
def _lifecycle_dot() -> list[str]:
    edges: dict[tuple[State, State], list[str]] = {}
    for t in LIFECYCLE.transitions:
        if t.source is not t.target:
            edges.setdefault((t.source, t.target), []).append(t.event.tag)
    lines = [
        "digraph lifecycle {",
        '  graph [rankdir=TB, bgcolor="transparent", nodesep=0.3, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef2f8", color="#4a5a78",'
        ' fontname="Helvetica", fontsize=18, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=14, color="#6b778c", fontcolor="#33415c"];',
        '  start [shape=circle, width=0.18, label="", style=filled, fillcolor="#33415c"];',
    ]
    for state in State:
        final = ', peripheries=2, fillcolor="#e9f3ea"' if state in LIFECYCLE.finals else ""
        name = html.escape(state.label_fr)
        label = f'<<b>{name}</b><br/><font point-size="13">{state.value}</font>>'
        lines.append(f"  {state.value} [label={label}{final}];")
    lines.append(f"  start -> {LIFECYCLE.initial.value};")
    for (source, target), tags in edges.items():
        label = "\\n".join(tags)  # DOT's line break
        lines.append(f'  {source.value} -> {target.value} [label="{label}"];')
    lines.append("}")
    return lines


def _draw(dot_file: str, svg_file: str) -> None:
    """Draw the SVG with Graphviz's ``dot`` when the DOT text changed."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError(
            "the lifecycle diagram needs Graphviz's dot: apt-get install graphviz "
            "(Debian, Ubuntu; .ci/run installs it), brew install graphviz (macOS)"
        )
    source, target = _GENERATED / dot_file, _GENERATED / svg_file
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return
    subprocess.run([dot, "-Tsvg", str(source), "-o", str(target)], check=True)


_write("lifecycle.dot", _lifecycle_dot())
_draw("lifecycle.dot", "lifecycle.svg")
_loops: dict[State, list[str]] = {}
for _t in LIFECYCLE.transitions:
    if _t.source is _t.target:
        _loops.setdefault(_t.source, []).append(f"`{_t.event.tag}` ({_t.event.label_fr})")
_write(
    "lifecycle-loops.md",
    ["| state | events accepted that keep the pathway in it |", "|---|---|"]
    + [f"| {s.label_fr} (`{s.value}`) | {', '.join(events)} |" for s, events in _loops.items()],
)
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
def _command_names() -> list[str]:
    """The sub-commands, in the order ``reussite --help`` lists them."""
    from reussite.cli import _parser

    with french_argparse():
        parser = _parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(subparsers.choices)


_COMMANDS = _command_names()


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


# The API reference: one page per topic, each module with its docstring, a summary table
# of its public names (``__all__``) and then each name. Constants re-exported by a package
# from its private modules get their description from where they are defined (autodoc
# finds no docstring for data imported into a package).
_API_PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "lifecycle": (
        "Lifecycle",
        "The pathway, its events, the declared transition table, the rules, the register of "
        "pathways and the errors.",
        ("pathway", "events", "lifecycle", "rules", "register", "suspension", "errors"),
    ),
    "people": (
        "People and the programme",
        "The child, the family, the programme and its territory, the referral, the EPS's "
        "decisions, the plan, the ways a pathway ends, and the coded values.",
        ("people", "programme", "timeline", "referral", "decision", "plan", "ending", "codes"),
    ),
    "indicators": (
        "Indicators and reports",
        "The annual report (*bilan annuel*), the indicator definitions and the periods.",
        ("indicators", "periods", "calendar"),
    ),
    "analysis": (
        "Analysis: tidy tables, several years, charts",
        "The cohort as tidy tables (records, pandas, polars, Arrow, Parquet), the reports of "
        "several years in one pass with their evolution, and the charts (extras ``pandas``, "
        '``polars``, ``arrow``, ``charts``: ``pip install "reussite[arrow,charts]"``).',
        ("tables", "evolution", "charts"),
    ),
    "budget": (
        "Budget",
        "Ledgers, budget lines, their classification and the budget summary.",
        ("budget",),
    ),
    "national": (
        "The national survey",
        "A PRE's yearly return to the State's survey, the survey editions, the national "
        "synthesis and its evolution table.",
        ("national",),
    ),
    "privacy": (
        "Data protection",
        "Pseudonymised exports, small-count suppression, consent and retention.",
        ("privacy",),
    ),
    "serialization": (
        "Files",
        "Pathway documents, cohort files, the JSON Schema, and the sample files.",
        ("serialization", "samples"),
    ),
    "testing": (
        "Testing kit",
        "Hypothesis strategies and the stateful test adopters point at their own system "
        '(extra ``testing``: ``pip install "reussite[testing]"``).',
        ("strategies", "testing"),
    ),
    "cli": (
        "Command line (Python entry point)",
        "``reussite.cli.main``, what ``python -m reussite`` runs; the sub-commands are in "
        "[the command-line reference](../cli.md).",
        ("cli",),
    ),
}
"""Each page: its title, its summary, and its modules (under ``reussite.``)."""


def _attribute_docs(package: str) -> dict[str, str]:
    """The attribute docstrings of a module and, for a package, of its private modules."""
    docs: dict[str, str] = {}
    module = importlib.import_module(package)
    names = [package]
    if hasattr(module, "__path__"):
        folder = pathlib.Path(module.__file__ or "").parent
        names += [f"{package}.{p.stem}" for p in sorted(folder.glob("_*.py"))]
    for name in names:
        if name.endswith("__init__"):
            continue
        for (scope, attr), lines in ModuleAnalyzer.for_module(name).find_attr_docs().items():
            if scope == "":
                docs.setdefault(attr, "\n".join(lines).strip())
    return docs


def _markdown(rst: str) -> str:
    """A docstring's reStructuredText roles and literals, in MyST Markdown."""
    text = re.sub(r":(?:py:)?(class|func|meth|data|attr|mod|exc|obj):`", r"{py:\1}`", rst)
    return text.replace("``", "`")


def _api_module(name: str) -> list[str]:
    module = importlib.import_module(name)
    docs = _attribute_docs(name)
    lines = [f"## `{name}`", "", "```{eval-rst}", f".. automodule:: {name}", "```", ""]
    lines += ["| name | what it is |", "|---|---|"]
    for n in module.__all__:
        value = getattr(module, n)
        own = inspect.isclass(value) or inspect.isroutine(value)
        text = (inspect.getdoc(value) if own else docs.get(n)) or ""
        kind = "class" if inspect.isclass(value) else "func" if own else "data"
        summary = text.split("\n\n")[0].replace("\n", " ")
        lines.append(f"| {{py:{kind}}}`~{name}.{n}` | {_cell(_markdown(summary))} |")
    lines += ["", "```{eval-rst}", f".. currentmodule:: {name}", ""]
    for n in module.__all__:
        value = getattr(module, n)
        if inspect.isclass(value):
            inheritance = "   :show-inheritance:\n" if value.__bases__ != (object,) else ""
            lines += [f".. autoclass:: {n}", "   :members:", inheritance]
        elif inspect.isroutine(value):
            lines += [f".. autofunction:: {n}", ""]
        else:
            text = docs.get(n) or f"A constant of type ``{type(value).__name__}``."
            lines += [f".. py:data:: {n}", ""]
            lines += [f"   {line}" if line else "" for line in text.splitlines()]
            lines.append("")
    lines += ["```", ""]
    return lines


def _api_pages() -> None:
    import pkgutil

    public = {
        info.name
        for info in pkgutil.iter_modules(reussite.__path__)
        if not info.name.startswith("_")
    }
    listed = {m for _, _, modules in _API_PAGES.values() for m in modules}
    if public != listed:
        raise RuntimeError(
            f"docs/conf.py _API_PAGES: add the public modules {sorted(public - listed)} to a "
            f"page; remove {sorted(listed - public)}"
        )
    for page, (title, summary, modules) in _API_PAGES.items():
        lines = [f"# {title}", "", summary, ""]
        for module in modules:
            lines += _api_module(f"reussite.{module}")
        _write(f"api-{page}.md", lines)


_api_pages()


def _skip_attrs_fields(
    app: object, what: str, name: str, obj: object, skip: bool, options: object
) -> bool | None:
    """Leave out the attrs fields: each class lists them in its Attributes section."""
    if what == "class" and inspect.ismemberdescriptor(obj):
        return True
    return None


def _attrs_defaults(
    app: object,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show an attrs class's defaults as values, not as ``attr_dict['x'].default``."""
    if what != "class" or not signature or "attr_dict[" not in signature:
        return None
    defaults = {f.name: f.default for f in attrs.fields(obj)}  # type: ignore[arg-type]

    def value(match: re.Match[str]) -> str:
        default = defaults.get(match.group(1))
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return "…"
        shown = repr(default)
        return shown if len(shown) <= 40 else "…"

    return re.sub(r"attr_dict\['(\w+)'\]\.default", value, signature), return_annotation


def setup(app: object) -> None:
    """Register the hooks of this configuration."""
    app.connect("autodoc-skip-member", _skip_attrs_fields)  # type: ignore[attr-defined]
    app.connect("autodoc-process-signature", _attrs_defaults)  # type: ignore[attr-defined]
