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
An interrupt (``KeyboardInterrupt``) between any two steps of the pause undoes it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator

__all__ = ["collector_paused"]


class _Pause:
    """How many readers hold the pause, and whether the collector was on before them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.resume = False

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        entered = False
        try:
            with self.lock:
                self.holders += 1
                entered = True  # no call since the count: no interrupt came between
                if self.holders == 1:
                    self.resume = gc.isenabled()
                    gc.disable()
            yield
        finally:
            if entered:  # an interrupt may have come at any call above: undo what was done
                with self.lock:
                    if self.holders:  # 0 in a child forked inside this very pause (forget)
                        self.holders -= 1
                    if self.holders == 0:
                        resume, self.resume = self.resume, False
                        if resume:
                            gc.enable()

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


_PAUSE = _Pause()
if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX
    os.register_at_fork(after_in_child=_PAUSE.forget)


def collector_paused() -> contextlib.AbstractContextManager[None]:
    """A context in which the cyclic garbage collector does not run (see the module).

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    return _PAUSE.held()
