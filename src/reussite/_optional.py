"""Optional dependencies: the error that says which extra to install.

``import reussite`` needs only the runtime dependencies; the testing kit needs Hypothesis
(extra ``testing``), ``Report.to_dataframe`` needs pandas (extra ``pandas``), the tidy
tables' DataFrames pandas or polars (extras ``pandas``, ``polars``) and their Arrow and
Parquet forms pyarrow (extra ``arrow``), the charts matplotlib (extra ``charts``).
"""

from __future__ import annotations

import importlib
from typing import Any

from .indicators._report import MissingOptionalDependency


def missing(module: str, *, extra: str, needed_by: str) -> MissingOptionalDependency:
    """The error raised when ``needed_by`` cannot import ``module``, naming the extra.

    >>> print(missing("hypothesis", extra="testing", needed_by="reussite.strategies"))
    reussite.strategies needs hypothesis, which is not installed: pip install "reussite[testing]"
    """
    return MissingOptionalDependency(
        f'{needed_by} needs {module}, which is not installed: pip install "reussite[{extra}]"'
    )


def require(module: str, *, extra: str, needed_by: str) -> Any:
    """Import an optional dependency, or raise :func:`missing`'s error naming the extra.

    Every optional import of the library goes through here, at the moment it is needed, so
    ``import reussite`` never imports pandas, polars, pyarrow or matplotlib.

    >>> require("json", extra="none", needed_by="this example").dumps([1])
    '[1]'
    >>> require("no_such_module_here", extra="charts", needed_by="reussite.charts")
    Traceback (most recent call last):
    ...
    reussite.indicators._report.MissingOptionalDependency: reussite.charts needs ...
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise missing(module.split(".")[0], extra=extra, needed_by=needed_by) from error
