"""The ``reussite`` command line: ``python -m reussite COMMANDE`` (or ``reussite COMMANDE``).

Reports for practitioners print in French; ``--format json`` prints JSON for tools. Every
sub-command follows the same conventions (see ``reussite.cli._common``): what it produces
on standard output, each problem on standard error as ``reussite COMMANDE : erreur : …``,
``-`` for standard input or output, output files written whole or not at all, a progress
bar on standard error when it is a terminal, and the exit status 0 (success), 1 (the
data were refused), 2 (a usage error) or 3 (a reading process stopped by the system).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor

from ..errors import InvalidInput, ReussiteError
from ._common import (
    EXIT_DATA,
    EXIT_STATUS_FR,
    EXIT_SYSTEM,
    CommandError,
    Formatter,
    library_message,
    os_error,
    problem,
)
from ._french import french_argparse

__all__ = ["main"]

EXIT_INTERRUPTED = 130
"""The exit status after Ctrl-C, as shells report it (128 + SIGINT)."""

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

_COMMAND_MODULES = (
    "reussite.cli._report",
    "reussite.cli._serialization",
    "reussite.cli._budget",
    "reussite.cli._privacy",
    "reussite.cli._retention",
    "reussite.cli._lifecycle",
    "reussite.cli._samples",
    "reussite.cli._national",
)
"""Modules whose ``register(subparsers)`` adds sub-commands; each sets ``handler``."""


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="reussite",
        description="Règles, indicateurs et budget du Programme de Réussite Éducative (PRE).",
        epilog=f"« reussite COMMANDE --help » détaille une commande.\n{EXIT_STATUS_FR}",
        formatter_class=Formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"reussite {__version__}",
        help="affiche la version et quitte",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMANDE", required=True, title="commandes"
    )
    for name in _COMMAND_MODULES:
        register: Register = importlib.import_module(name).register
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Exit status: 0 success, 1 the data were refused (each problem printed on standard
    error with where it is), 2 a usage error.
    """
    with french_argparse():
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
            return int(exit_.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    command: str = args.command
    try:
        return handler(args)
    except KeyboardInterrupt:  # Ctrl-C: no traceback; an output file is not left behind
        print(f"\nreussite {command} : interrompu", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_DATA
    except CommandError as error:
        problem(command, str(error))
        return error.status
    except InvalidInput as error:
        where = f"{error.source} : " if error.source else ""
        for line in error.errors:
            problem(command, where + library_message(line))
        return EXIT_DATA
    except ReussiteError as error:
        problem(command, str(error))
        return EXIT_DATA
    except OSError as error:
        refused = os_error(error)
        problem(command, str(refused))
        return refused.status
    except BrokenExecutor:  # a worker of --jobs killed (out of memory, say)
        problem(
            command,
            "un processus de lecture s'est arrêté brutalement (mémoire insuffisante ?) : "
            "relancez avec moins de processus (--jobs 1 lit tout dans un seul)",
        )
        return EXIT_SYSTEM
