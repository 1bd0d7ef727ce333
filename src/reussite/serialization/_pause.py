"""The cyclic garbage collector paused while a batch of lines is decoded.

Decoding a pathway allocates some sixty objects that the collector tracks (events,
actions, the pathway), nearly all of them kept. Left running, the collector walks them
again and again as they age, and every object the caller already holds with them: loading
a cohort into a list cost up to twice as much with the collector on as off. Paused
over a batch of lines, it walks them once young and once in the middle generation,
instead of at every young collection while they are made. What it cannot spare is the
full collections, which walk everything a growing list of pathways holds each time it
grows by a quarter: the caller's to pause or avoid (``docs/performance.md`` shows how).

The pause is the reader's own business, never the caller's setting: it covers the
decoding of one batch only (a bounded number of lines, see :class:`~._cohort.Cohort`),
and the collector is resumed before any pathway is handed back, on every way out
(an error included). A collector that was off stays off. Readers in several threads
share one pause: the collector resumes when the last of them is done. Only a program
that switches the collector off itself, from another thread, *while* a batch is being
read would see it switched back on at the end of that batch. A process forked while a
batch was being read (by another thread) starts with the collector as it was before.
An interrupt (``KeyboardInterrupt``) at any step of taking the pause undoes it; one at
the start of giving it back leaves it to the reader, which gives it back again (a
release is idempotent) as it stops: the collector is never left off by the reader.
"""

from __future__ import annotations

import gc
import os
import threading
from types import TracebackType

__all__ = ["Hold", "collector_paused"]


class _Pause:
    """The readers holding the pause, and whether the collector was on before them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holds: set[Hold] = set()
        self.resume = False

    @property
    def holders(self) -> int:
        """How many readers hold the pause."""
        return len(self.holds)

    def hold(self) -> Hold:
        token = Hold(self)
        try:
            with self.lock:
                first = not self.holds
                self.holds.add(token)  # counted before any call that may be interrupted
                if first:
                    self.resume = gc.isenabled()
                    gc.disable()
        except BaseException:  # an interrupt at any call above: undo what was done
            self.release(token)
            raise
        return token  # nothing between here and the caller's ``try`` checks for signals

    def release(self, token: Hold) -> None:
        """Give back ``token``'s hold; again for a token given back already: nothing.

        Each step leaves a state the next call completes: the collector is switched back
        on before the last hold is dropped.
        """
        with self.lock:
            if token not in self.holds:
                return
            if len(self.holds) == 1 and self.resume:
                gc.enable()
                self.resume = False
            self.holds.discard(token)

    def forget(self) -> None:
        """In a child process just forked: no reader of the parent's holds the pause there.

        A thread of the parent may have been reading a batch when another forked (a
        process pool): the child inherits the collector switched off, and nobody to switch
        it back on. It is given back its state from before the pause.
        """
        self.lock = threading.Lock()
        if self.holds and self.resume:
            gc.enable()
        self.holds = set()
        self.resume = False


class Hold:
    """One reader's hold on the pause (also a context that releases it on the way out).

    :meth:`release` gives it back, once, however many times it is called.
    """

    __slots__ = ("_pause",)

    def __init__(self, pause: _Pause) -> None:
        self._pause = pause

    def release(self) -> None:
        """Give the hold back (the collector resumes with the last one)."""
        self._pause.release(self)

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


_PAUSE = _Pause()
if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX
    os.register_at_fork(after_in_child=_PAUSE.forget)


def collector_paused() -> Hold:
    """Pause the collector until the :class:`Hold` given is released (see the module).

    A context (``with collector_paused(): ...``), or a hold to release in a ``finally``
    clause and again where the reader stops after an interrupt: the first release may be
    cut short by the interrupt itself.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    return _PAUSE.hold()
