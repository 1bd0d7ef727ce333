"""The ``reussite`` command line: ``python -m reussite COMMAND``.

Reports for practitioners print in French; ``--format json`` prints JSON for tools.
Exit codes: 0 success, 1 bad data or a refused rule, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from ..errors import ReussiteError

__all__ = ["main"]

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

_COMMAND_MODULES = (
    "reussite.cli._lifecycle",
    "reussite.cli._budget",
    "reussite.cli._serialization",
    "reussite.cli._report",
    "reussite.cli._privacy",
)
"""Modules whose ``register(subparsers)`` adds sub-commands; each sets ``handler``."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reussite",
        description="Règles, indicateurs et budget du Programme de Réussite Éducative.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"reussite {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        register: Register = importlib.import_module(name).register
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except ReussiteError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
