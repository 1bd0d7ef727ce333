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
a walk (:func:`gc.freeze` then :func:`gc.unfreeze`: constant-time list merges on CPython
3.11 to 3.13 with the GIL, which also set the collector's counts back to zero; on other
interpreters and versions, where they may walk the heap, nothing is moved). Just before
the batch, the young and middle generations are collected, as the collector would have
done by then (not when the caller set its threshold to 0, which switches collection
off).

What changes for the caller, and only while the collector is on: its own objects alive
at that moment, and any that other threads make during the batch, reach the oldest
generation with the batch's, where a garbage cycle among them waits for a full
collection. The collector does not count objects moved so, and would never run one: the
reader runs the full collections the collector would have run, once ``threshold1 ×
threshold2`` batches were aged (100 by default: a resumed collector runs one young
collection per batch) and the memory in use grew by a quarter since the last full
collection (:meth:`_Pause._full_due`). Memory thus stays bounded as it did.

A batch that raised an error is not aged, and a problem kept until its line's turn
holds no traceback (:meth:`~._errors.Problems.detached`: the frames of a refused line,
the batch's text among their locals, would otherwise wait in a cycle for the
collector). A process that froze objects itself (:func:`gc.freeze`, before forking
workers, say) is left alone: nothing is moved once frozen objects are seen, since the
move would thaw them; a thread that froze objects *during* a move would see them
thawed. No collection runs under the pause's lock (a finalizer may read a cohort), every
change of the collector's state is undone on every way out, an interrupt between two
steps included, and a process forked during a move gets its heap thawed and its
collector back.
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

_GROWTH = 1.25
"""A full collection is due once the memory in use grew by a quarter (see _full_due)."""


class Batch:
    """One reader's batch under the pause: :attr:`failed` when it raised an error."""

    __slots__ = ("failed",)

    def __init__(self) -> None:
        self.failed = False


class _Pause:
    """How many readers hold the pause, and whether the collector was on before them.

    Every change of the collector's state is undone on every way out, an interrupt
    (``KeyboardInterrupt``) between two steps included; nothing that may run a finalizer
    (a collection) runs under :attr:`lock`, since a finalizer may read a cohort too.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.resume = False
        """Whether the collector was on before the pause: this pause owes an enable."""
        self.failed = False
        self.ages = _SPLICES
        """Whether batches are aged (see the module); off for good once frozen objects
        are seen."""
        self.freezing = False
        """Between :func:`gc.freeze` and :func:`gc.unfreeze` (a fork there: see forget)."""
        self.aged = 0
        """Batches aged since the last full collection."""
        self.blocks = sys.getallocatedblocks()
        """Memory blocks in use after the last full collection (see :meth:`_full_due`)."""
        self.fulls = gc.get_stats()[2]["collections"]
        """Full collections the collector had run when last looked at."""

    @contextlib.contextmanager
    def held(self) -> Iterator[Batch]:
        batch = Batch()
        entered = first = False
        try:
            with self.lock:
                self.holders += 1
                entered, first = True, self.holders == 1
                if first:
                    self.resume = gc.isenabled()
                    gc.disable()
            if first and self.resume and self.ages and gc.get_threshold()[0]:
                # The caller's young and middle-aged objects, collected as the collector
                # would have before the batch is aged (not under the lock: a finalizer
                # may read a cohort; not with a threshold of 0, collection switched off
                # that way).
                gc.collect(1)
            yield batch
        except BaseException:
            batch.failed = True
            raise
        finally:
            if entered:
                with self.lock:
                    aged = self._leave(batch)
                if aged and self._full_due():
                    self._collect_full()

    def _leave(self, batch: Batch) -> bool:
        """One holder less (under the lock); the last resumes the collector.

        Returns whether the batches were aged.
        """
        self.failed = self.failed or batch.failed
        if self.holders:  # 0 in a child forked inside this very pause (see forget)
            self.holders -= 1
        if self.holders:
            return False
        try:
            return self.resume and not self.failed and self._age()
        finally:
            # No call between the two: no interrupt, no other thread, can come between.
            resume, self.resume, self.failed = self.resume, False, False
            if resume:
                gc.enable()

    def _age(self) -> bool:
        """Move every tracked object to the oldest generation, unwalked (see the module)."""
        if not self.ages:
            return False
        if gc.get_freeze_count():  # the process froze objects: never thaw them
            self.ages = False
            return False
        self.freezing = True
        try:
            gc.freeze()
        finally:
            gc.unfreeze()
            self.freezing = False
        self.aged += 1
        return True

    def _full_due(self) -> bool:
        """Whether the collector would have run a full collection by now (see the module).

        Left running, it collects the young objects once per batch (the first
        allocation after the pause finds their count over its threshold), the middle
        generation every ``threshold1`` young collections, and everything every
        ``threshold2`` middle ones once the objects that reached the oldest generation
        since the last full collection are a quarter of those it kept then. Aged objects
        reach it without being counted: the batches aged stand for the young
        collections, and the memory blocks in use for the objects kept.
        """
        fulls = gc.get_stats()[2]["collections"]
        if fulls != self.fulls:  # the collector ran one itself (or the caller did)
            self.fulls, self.aged = fulls, 0
            self.blocks = sys.getallocatedblocks()
            return False
        _, middle, full = gc.get_threshold()
        return self.aged >= middle * full and sys.getallocatedblocks() > self.blocks * _GROWTH

    def _collect_full(self) -> None:
        gc.collect()
        self.fulls, self.aged = gc.get_stats()[2]["collections"], 0
        self.blocks = sys.getallocatedblocks()

    def forget(self) -> None:
        """In a child process just forked: no reader of the parent's holds the pause there.

        A thread of the parent may have been reading a batch when another forked (a
        process pool): the child inherits the collector switched off, and nobody to switch
        it back on, or every object frozen if the fork came while a batch was aged. It is
        given back its state from before the pause.
        """
        self.lock = threading.Lock()
        if self.freezing:
            gc.unfreeze()
            self.freezing = False
        if self.resume:
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
