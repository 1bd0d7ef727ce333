"""The cyclic garbage collector paused while a batch of lines is decoded.

Decoding a pathway allocates some sixty objects that the collector tracks (events,
actions, the pathway), nearly all of them kept. Left running, the collector walks them
again and again as they age, and every object the caller already holds with them: loading
a cohort into a list cost up to twice as much with the collector on as off. Paused
over a batch of lines, it walks them once when it resumes: the same work as a load
with the collector off, give or take a few per cent.

The pause is the reader's own business, never the caller's setting: it covers the
decoding of one batch only (a bounded number of lines, see :class:`~._cohort.Cohort`),
and the collector is resumed before any pathway is handed back, on every way out
(an error included). A collector that was off stays off. Readers in several threads
share one pause: the collector resumes when the last of them is done. Only a program
that switches the collector off itself, from another thread, *while* a batch is being
read would see it switched back on at the end of that batch. A process forked while a
batch was being read (by another thread) starts with the collector as it was before.

**The batch's objects are aged, not walked.** Resumed as is, the collector would still
walk every object of the batch twice as it ages (once young, once in the middle
generation) although nearly all of them are kept: about 18 µs of a pathway's 64 in
typed decoding. So when the last reader of a batch that raised nothing is done, and the
collector is to resume, every object it tracks is moved to its oldest generation without
a walk (:func:`gc.freeze` then :func:`gc.unfreeze`: two list splices on CPython 3.11 to
3.13 with the GIL; on other interpreters and versions, where they may walk the heap,
nothing is moved). Before a batch, the caller's young objects are collected as the
collector would have done at its next young collection (not when the caller set its
threshold to 0, which switches collection off). What this changes, and only while the
collector is on: a garbage cycle among the caller's middle-aged objects is reclaimed by
the next full collection instead of the next middle one. A batch that
raised an error is not aged (the error's traceback holds the batch in a cycle, left to
the young collections). A process that froze objects itself (:func:`gc.freeze`, before
forking workers, say) is left alone: nothing is moved once frozen objects are seen,
since the move would thaw them; a thread that froze objects *during* a move would see
them thawed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import sysconfig
import threading
from collections.abc import Iterator

__all__ = ["Batch", "collector_paused"]

_SPLICES = (
    sys.implementation.name == "cpython"
    and sys.version_info < (3, 14)
    and not sysconfig.get_config_var("Py_GIL_DISABLED")
)
"""Whether :func:`gc.freeze` and :func:`gc.unfreeze` only splice lists here (CPython 3.11
to 3.13 with the GIL; 3.14's incremental collector walks the old generation to freeze)."""


class Batch:
    """One reader's batch under the pause: :attr:`failed` when it raised an error."""

    __slots__ = ("failed",)

    def __init__(self) -> None:
        self.failed = False


class _Pause:
    """How many readers hold the pause, and whether the collector was on before them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.resume = False
        self.failed = False
        self.ages = _SPLICES
        """Whether batches are aged (see the module); off for good once frozen objects
        are seen."""

    @contextlib.contextmanager
    def held(self) -> Iterator[Batch]:
        with self.lock:
            if self.holders == 0:
                self.resume = gc.isenabled()
                gc.disable()
                # The caller's young objects, as the collector would (unless its
                # threshold is 0: collection switched off that way).
                if self.resume and self.ages and gc.get_count()[0] and gc.get_threshold()[0]:
                    gc.collect(0)
            self.holders += 1
        batch = Batch()
        try:
            yield batch
        except BaseException:
            batch.failed = True
            raise
        finally:
            with self.lock:
                self.failed = self.failed or batch.failed
                if self.holders:  # 0 in a child forked inside this very pause (see forget)
                    self.holders -= 1
                if self.holders == 0:
                    if self.resume:
                        self.resume = False
                        if not self.failed:
                            self._age()
                        gc.enable()
                    self.failed = False

    def _age(self) -> None:
        """Move every tracked object to the oldest generation, unwalked (see the module)."""
        if self.ages:
            if gc.get_freeze_count():  # the process froze objects: never thaw them
                self.ages = False
                return
            gc.freeze()
            gc.unfreeze()

    def forget(self) -> None:
        """In a child process just forked: no reader of the parent's holds the pause there.

        A thread of the parent may have been reading a batch when another forked (a
        process pool): the child inherits the collector switched off, and nobody to switch
        it back on. It is given back its state from before the pause.
        """
        self.lock = threading.Lock()
        if self.holders and self.resume:
            gc.enable()
        self.holders = 0
        self.resume = False
        self.failed = False


_PAUSE = _Pause()
if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX
    os.register_at_fork(after_in_child=_PAUSE.forget)


def collector_paused() -> contextlib.AbstractContextManager[Batch]:
    """A context in which the cyclic garbage collector does not run (see the module).

    The context gives a :class:`Batch`: set its ``failed`` when the batch caught an error
    it keeps (an error raised out of the context sets it), so that it is not aged.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    return _PAUSE.held()
