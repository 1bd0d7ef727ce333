"""What every sub-command shares: one way to declare it, read, write and report problems.

The conventions, in one place so that every sub-command follows them:

- **Channels.** Standard output carries what the command produces (a report, a table,
  JSON, an export); standard error carries everything about the run: each problem as
  ``reussite COMMAND : erreur : …``, confirmations, and the progress bar.
- **Exit status.** 0 success; 1 the data were refused (each problem is printed with where
  it is); 2 a usage error (an option, a missing file).
- **Files.** ``-`` is standard input (or output). An output file is written to a
  temporary file beside it and renamed on success: a failed command leaves no file and
  never truncates an existing one. Exports are created readable by their owner only.
- **Progress.** Reading a file shows a progress bar on standard error when it is a
  terminal, and nothing otherwise.
- **Words.** Help and messages in French; values are shown as the user typed them
  (``2018-08-31``), never as Python writes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import os
import re
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, TypeAlias

from ..errors import InvalidValue
from ..serialization._documents import MAX_BYTES, RAISE_THE_BOUND
from ..serialization._errors import UNKNOWN_KEY

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_SYSTEM = 3

EXIT_STATUS_FR = (
    "Codes de sortie : 0 succès ; 1 données refusées (chaque problème est écrit sur la\n"
    "sortie d'erreur avec son emplacement) ; 2 erreur d'usage (option, fichier introuvable) ;\n"
    "3 un processus de lecture arrêté par le système (mémoire insuffisante, par exemple)."
)
"""The epilog of every sub-command's ``--help``."""

STDIO = "-"
"""The file name that means standard input (or output)."""

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class CommandError(Exception):
    """A problem the command line prints as ``reussite COMMAND : erreur : message``.

    Attributes:
        status: the exit status, :data:`EXIT_DATA` (default) or :data:`EXIT_USAGE`.
    """

    def __init__(self, message: str, *, status: int = EXIT_DATA) -> None:
        super().__init__(message)
        self.status = status


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the descriptions' lines, wraps the options' help, titles ``options :``."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        # French puts a space before ":" and ";": a non-breaking one, so that no line
        # starts with them; dates (AAAA-MM-JJ) are not broken at their hyphens.
        text = re.sub(r"\s+", " ", text).strip()
        text = text.replace(" :", "\u00a0:").replace(" ;", "\u00a0;")
        return textwrap.wrap(text, width, break_on_hyphens=False)

    def start_section(self, heading: str | None) -> None:
        """Open a section, its title followed by a space as French puts before a colon."""
        super().start_section(f"{heading} " if heading else heading)


def add_command(
    subparsers: Subparsers, name: str, *, summary: str, description: str
) -> argparse.ArgumentParser:
    """Declare the sub-command ``name``: French help, and the exit codes as epilog.

    Args:
        subparsers: what ``ArgumentParser.add_subparsers()`` returned.
        name: the sub-command (``"report"``).
        summary: one line for ``reussite --help``.
        description: the paragraphs of ``reussite NAME --help``.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EXIT_STATUS_FR,
        formatter_class=Formatter,
    )
    return parser


def add_input(parser: argparse.ArgumentParser, what: str) -> None:
    """Add the positional ``FICHIER`` (``-``: standard input), described by ``what``."""
    parser.add_argument("file", metavar="FICHIER", help=f"{what} ; - pour l'entrée standard")


def add_jobs(parser: argparse.ArgumentParser) -> None:
    """Add ``--jobs N`` (default: every core)."""
    parser.add_argument(
        "--jobs",
        "-j",
        type=jobs_argument,
        default=None,
        metavar="N",
        help="processus de lecture en parallèle (par défaut : un par cœur, un seul pour"
        " un fichier de moins de 8 Mo) ; le résultat est le même",
    )


def jobs_argument(text: str) -> int:
    """An integer >= 1 for ``--jobs``.

    >>> jobs_argument("2")
    2
    """
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"un entier ≥ 1 attendu, pas « {text} »")
    return jobs


_SMALL_FILE = 8 << 20
"""Below this size (bytes), a file is read by one process unless ``--jobs`` says more:
starting processes would cost more than they save."""


def jobs_for(name: str, jobs: int | None) -> int:
    """How many processes read ``name``: 1 for standard input or anything not a file.

    By default every core, except for a small file (:data:`_SMALL_FILE`).
    """
    if name == STDIO or not os.path.isfile(name):
        return 1
    if jobs is not None:
        return jobs
    return 1 if os.path.getsize(name) < _SMALL_FILE else os.cpu_count() or 1


def sharded_progress(name: str) -> Progress:
    """A progress bar for a file read in shards (advanced as shards are done)."""
    return Progress(_label(name), os.path.getsize(name) or None)


def add_output(parser: argparse.ArgumentParser, *, what: str = "le résultat") -> None:
    """Add ``-o FICHIER`` (default and ``-``: standard output)."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        help=f"écrit {what} dans FICHIER (par défaut, ou -, sur la sortie standard)",
    )


def date_argument(text: str) -> dt.date:
    """An ``argparse`` type: a date written ``AAAA-MM-JJ``.

    >>> date_argument("2018-08-31")
    datetime.date(2018, 8, 31)
    >>> date_argument("31/08/2018")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: date attendue sous la forme AAAA-MM-JJ (2018-08-31), reçu ...
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date attendue sous la forme AAAA-MM-JJ (2018-08-31), reçu « {text} »"
        ) from None


def year_argument(text: str) -> int:
    """An ``argparse`` type: a year from 1990 to 2100.

    >>> year_argument("2017")
    2017
    >>> year_argument("17")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: année attendue entre 1990 et 2100, telle que 2017, reçu « 17 »
    """
    if not text.isascii() or not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(
            f"année attendue entre 1990 et 2100, telle que 2017, reçu « {text} »"
        )
    return int(text)


def shown(value: object) -> str:
    """A value as the user would write it: dates in ISO form, text without quotes.

    >>> shown(dt.date(2018, 8, 31)), shown("evaluation"), shown(None), shown(["a", "b"])
    ('2018-08-31', 'evaluation', 'rien', 'a, b')
    >>> shown(b"secret")
    "b'secret'"
    """
    if value is None:
        return "rien"
    if isinstance(value, dt.date | str | int | float):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(shown(v) for v in value)
    return str(value)


def option_error(error: InvalidValue, options: Mapping[tuple[str, str], str]) -> CommandError:
    """The library's refusal of a value the user gave as an option, in the option's words.

    ``options`` maps the library's ``(owner, field)`` to the option
    (``("export_pseudonymised", "as_of")`` → ``"--as-of"``); another error keeps its
    message.

    >>> refused = InvalidValue("export_pseudonymised", "as_of", dt.date(2018, 8, 31), "later")
    >>> print(option_error(refused, {("export_pseudonymised", "as_of"): "--as-of"}))
    --as-of 2018-08-31 : expected later
    >>> print(option_error(refused, {}))
    export_pseudonymised.as_of: expected later, got 2018-08-31
    """
    option = options.get((error.owner, error.field))
    if option is None:
        return CommandError(str(error))
    given = "" if getattr(error, "personal", False) else f" {shown(error.value)}"
    return CommandError(f"{option}{given} : expected {error.expected}")


_OS_ERRORS_FR = {
    errno.ENOENT: "fichier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def os_error(error: OSError, name: str | None = None) -> CommandError:
    """An error of the system (a missing file, a folder), in French, naming the file.

    A file the user named that cannot be read is a usage error (exit status 2).

    >>> print(os_error(FileNotFoundError(2, "No such file or directory", "x.jsonl")))
    x.jsonl : fichier introuvable
    >>> os_error(IsADirectoryError(21, "Is a directory", "data")).status
    2
    """
    where = name if name is not None else error.filename
    reason = _OS_ERRORS_FR.get(error.errno or 0) or (error.strerror or str(error))
    return CommandError(f"{where} : {reason}" if where else reason, status=EXIT_USAGE)


def problem(command: str, message: str) -> None:
    """Print one problem on standard error: ``reussite COMMAND : erreur : message``."""
    for line in message.splitlines() or [""]:
        print(f"reussite {command} : erreur : {line}", file=sys.stderr)


def notice(command: str, message: str) -> None:
    """Print a warning on standard error: ``reussite COMMAND : attention : message``."""
    for line in message.splitlines() or [""]:
        print(f"reussite {command} : attention : {line}", file=sys.stderr)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, agreed in French (0 and 1 take the singular).

    >>> plural(0, "parcours valide", "parcours valides"), plural(2, "ligne")
    ('0 parcours valide', '2 lignes')
    """
    many = plural_form if plural_form is not None else f"{singular}s"
    return f"{count} {singular if count <= 1 else many}"


# --- progress ------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal: bytes read, of how many, and time left.

    It draws only when ``stream`` is a terminal, at most every ``every`` seconds, and
    erases itself when done.
    """

    def __init__(
        self,
        name: str,
        total: int | None,
        *,
        stream: IO[str] | None = None,
        every: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.every = every
        self.clock = clock
        self.done = 0
        self.started = clock()
        self.drawn_at: float | None = None

    def advance(self, count: int) -> None:
        """Count ``count`` more bytes; redraw if it is time."""
        self.done += count
        if not self.enabled:
            return
        now = self.clock()
        if self.drawn_at is not None and now - self.drawn_at < self.every:
            return
        self.drawn_at = now
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def line(self, now: float) -> str:
        """The text of the bar at time ``now``.

        >>> bar = Progress("cohorte.jsonl", 4_000_000, clock=lambda: 0.0)
        >>> bar.done = 1_000_000
        >>> bar.line(2.0)
        'cohorte.jsonl  25 % [#####---------------] 1,0 / 4,0 Mo, reste 6 s'
        >>> Progress("-", None, clock=lambda: 0.0).line(1.0)
        '-  0,0 Mo lus'
        """
        read = f"{self.done / 1e6:.1f}".replace(".", ",")
        if not self.total:
            return f"{self.name}  {read} Mo lus"
        share = min(self.done / self.total, 1.0)
        filled = int(share * 20)
        bar = "#" * filled + "-" * (20 - filled)
        total = f"{self.total / 1e6:.1f}".replace(".", ",")
        elapsed = now - self.started
        left = f", reste {elapsed * (1 - share) / share:.0f} s" if share > 0 else ""
        return f"{self.name} {share * 100:3.0f} % [{bar}] {read} / {total} Mo{left}"

    def close(self) -> None:
        """Erase the bar (if it was drawn)."""
        if self.enabled and self.drawn_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class _Counted(io.RawIOBase):
    """A binary stream that reports every byte read to a :class:`Progress`."""

    def __init__(self, raw: IO[bytes], progress: Progress) -> None:
        self.raw = raw
        self.progress = progress
        self.name = progress.name  # what the readers name in their errors

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.progress.advance(count or 0)
        return int(count or 0)


_BUFFER = 1 << 20
"""Bytes read at a time: a cohort header or a pathway line fits, a progress step is 1 MB."""


# --- reading and writing -------------------------------------------------------------------


@contextmanager
def reading(name: str) -> Iterator[IO[bytes]]:
    """Open the file ``name`` (``-``: standard input) for reading, with progress.

    Raises:
        CommandError: if the file cannot be opened (exit status 2) or is empty (1).
    """
    try:
        raw: IO[bytes] = sys.stdin.buffer if name == STDIO else open(name, "rb", buffering=0)  # noqa: SIM115
    except OSError as error:
        raise os_error(error, name) from None
    try:
        try:
            size: int | None = os.fstat(raw.fileno()).st_size
        except (OSError, ValueError, io.UnsupportedOperation):
            size = None
        progress = Progress(_label(name), size or None)
        stream = io.BufferedReader(_Counted(raw, progress), buffer_size=_BUFFER)
        if not stream.peek(1):
            raise CommandError(f"{_label(name)} : le fichier est vide")
        try:
            yield stream
        finally:
            progress.close()
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


class _Prefixed(io.RawIOBase):
    """A binary stream that first gives back ``prefix``, then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self.prefix = prefix
        self.stream = stream
        self.name = getattr(stream, "name", None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.prefix:
            data, self.prefix = self.prefix[: len(buffer)], self.prefix[len(buffer) :]
        else:
            data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def unread(stream: IO[bytes], data: bytes) -> IO[bytes]:
    r"""``stream`` as if ``data``, already read from it, had not been.

    >>> stream = io.BytesIO(b"first\nsecond\n")
    >>> first = stream.readline()
    >>> unread(stream, first).read()
    b'first\nsecond\n'
    """
    return io.BufferedReader(_Prefixed(data, stream))


def library_message(text: str) -> str:
    """A message of the library, with its Python advice put in command-line words.

    >>> library_message(UNKNOWN_KEY + " @ $.colour")
    'unknown key (check its spelling, or pass --ignore-unknown-keys) @ $.colour'
    >>> print(library_message(f"too large to read: 9 bytes ({RAISE_THE_BOUND}) @ $"))
    too large to read: 9 bytes (the command line reads lines up to 16 MiB; from Python, ...) @ $
    """
    return text.replace(UNKNOWN_KEY, _UNKNOWN_KEY_CLI).replace(RAISE_THE_BOUND, _BOUND_CLI)


_UNKNOWN_KEY_CLI = "unknown key (check its spelling, or pass --ignore-unknown-keys)"
_BOUND_CLI = (
    f"the command line reads lines up to {MAX_BYTES >> 20} MiB; from Python, "
    "load_cohort(..., max_line_bytes=N) reads larger ones if the data are right"
)


def _label(name: str) -> str:
    return "entrée standard" if name == STDIO else name


_TEXT: dict[str, Any] = {"encoding": "utf-8", "newline": ""}
"""How output text files are opened: UTF-8, line ends as written."""


@contextmanager
def writing(name: str | None, *, private: bool = False, binary: bool = False) -> Iterator[Any]:
    """Write the file ``name`` (``None`` or ``-``: standard output) all at once.

    The content goes to a temporary file in the same folder, renamed to ``name`` when the
    ``with`` block ends without error; on error it is removed, and an existing ``name`` is
    left as it was. ``private`` creates the file readable and writable by its owner only
    (mode 600), whatever the umask.

    Raises:
        CommandError: if the folder cannot be written (exit status 2).
    """
    if name is None or name == STDIO:
        out: Any = sys.stdout.buffer if binary else sys.stdout
        yield out
        out.flush()
        return
    target = Path(name)
    if target.is_dir():
        raise os_error(IsADirectoryError(errno.EISDIR, "Is a directory"), name)
    if target.exists() and not target.is_file():  # /dev/null, a named pipe: never replaced
        try:
            with open(target, "wb" if binary else "w", **({} if binary else _TEXT)) as special:
                yield special
        except OSError as error:
            raise os_error(error, name) from None
        return
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except FileNotFoundError:
        raise CommandError(
            f"{name} : le dossier {target.parent} n'existe pas", status=EXIT_USAGE
        ) from None
    except OSError as error:
        raise os_error(error, name) from None
    try:
        if not private:  # mkstemp makes it 600; a shared result gets the usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(handle, 0o666 & ~umask)
        with open(handle, "wb" if binary else "w", **({} if binary else _TEXT)) as stream:
            yield stream
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
