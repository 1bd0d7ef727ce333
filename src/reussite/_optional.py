"""Optional dependencies: the error that says which extra to install.

``import reussite`` needs only the runtime dependencies; the testing kit needs Hypothesis
(extra ``testing``), ``Report.to_dataframe`` needs pandas (extra ``pandas``).
"""

from __future__ import annotations

from .indicators._report import MissingOptionalDependency


def missing(module: str, *, extra: str, needed_by: str) -> MissingOptionalDependency:
    """The error raised when ``needed_by`` cannot import ``module``, naming the extra.

    >>> print(missing("hypothesis", extra="testing", needed_by="reussite.strategies"))
    reussite.strategies needs hypothesis, which is not installed: pip install "reussite[testing]"
    """
    return MissingOptionalDependency(
        f'{needed_by} needs {module}, which is not installed: pip install "reussite[{extra}]"'
    )
