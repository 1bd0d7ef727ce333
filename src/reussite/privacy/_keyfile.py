"""Key files: a pseudonymisation key written and read safely (*clé de pseudonymisation*).

The key is the one secret of a pseudonymised export: whoever holds it can recompute
every pseudonym from the ids. :func:`write_key` makes a random one in a file only its
owner can read (mode 0600); :func:`read_key` reads one with a size bound and warns when
other users can read the file.

A key file is used **byte for byte**: nothing is stripped, so a trailing newline (left by
``echo`` or an editor) is part of the key. Two files that differ by it give unrelated
pseudonyms; copy a key file, never retype it. ``reussite keygen`` writes raw bytes,
without a newline.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path

from ..errors import InvalidValue
from ._purpose import MIN_KEY_BYTES, check_key, generate_key

__all__ = ["MAX_KEY_FILE_BYTES", "KeyFileReadable", "read_key", "write_key"]

MAX_KEY_FILE_BYTES = 4096
"""The largest key file read: a key is a few dozen bytes (``/dev/zero`` is not a key)."""


class KeyFileReadable(UserWarning):
    """A key file can be read by other users than its owner (mode wider than 0600)."""


def write_key(
    path: str | os.PathLike[str], *, size: int = MIN_KEY_BYTES, overwrite: bool = False
) -> bytes:
    """Write a new random key to ``path``, readable by its owner only (mode 0600).

    Rule: ``size`` bytes from :func:`generate_key`, raw (no newline); the file is created
    with mode 0600 from the start (never readable by others, even for a moment). An
    existing file is never replaced unless ``overwrite``: losing a key loses the link
    between the exports made with it.

    Returns:
        The key written.

    Raises:
        InvalidValue: if the file exists (and not ``overwrite``), or ``size`` is too small.
        OSError: if the file cannot be written.
    """
    key = generate_key(size)
    target = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        descriptor = os.open(target, flags, 0o600)
    except FileExistsError:
        raise InvalidValue(
            "write_key",
            "path",
            os.fspath(target),
            "a file that does not exist yet (a key is never replaced unless overwrite=True)",
        ) from None
    with os.fdopen(descriptor, "wb") as out:
        if overwrite and os.name == "posix":
            os.fchmod(out.fileno(), 0o600)  # an existing file keeps its mode otherwise
        out.write(key)
    return key


def read_key(path: str | os.PathLike[str]) -> bytes:
    """Read a pseudonymisation key file, byte for byte, and check the key.

    Rule: at most :data:`MAX_KEY_FILE_BYTES` are read (a larger file, or a device such as
    ``/dev/zero``, is refused unread); the key is used as is, a trailing newline included;
    it must pass :func:`~reussite.privacy.check_key` (long enough, random-looking). A
    regular file that other users can read (mode wider than 0600) gives a
    :class:`KeyFileReadable` warning: ``chmod 600`` it.

    Raises:
        InvalidValue: if the file is larger than the bound or the key is not acceptable.
        OSError: if the file cannot be read.
    """
    target = Path(path)
    with open(target, "rb") as stream:
        info = os.fstat(stream.fileno())
        data = stream.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise InvalidValue(
            "read_key",
            "path",
            os.fspath(target),
            f"a key file of at most {MAX_KEY_FILE_BYTES} bytes (make one with reussite keygen)",
        )
    if os.name == "posix" and stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
        warnings.warn(
            KeyFileReadable(
                f"{os.fspath(target)} can be read by other users (mode "
                f"{stat.S_IMODE(info.st_mode):04o}): restrict it with chmod 600"
            ),
            stacklevel=2,
        )
    return check_key(data, owner="read_key")
