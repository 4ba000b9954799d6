"""Work done beside the caller: in a forked child process, on another core, while the
caller goes on, its result sent back through a pipe when asked for.

Generation is a long chain on one core; some steps of it need nothing the rest makes: the
schemas module (datamodel-code-generator's run, the longest step of rendering; the
library made ready in a :class:`Warm` child while the contracts load), openapi-spec-
validator's checks (the slowest part of loading), and the reading of what the last
generation left (its snapshot, the user's service modules).
Each runs in a child forked when it can start, so that its inputs are there without
pickling a large contract, and is joined where its result is first needed.

A child is forked only where that can help and is safe: a platform whose processes fork
(Linux; macOS forks, but its system libraries may not survive a fork), more than one CPU
to run on, a process running one thread (forking a threaded process can deadlock the
child on a lock another thread held: an application embedding the generator may run
some), and ``SPECFOUNDRY_SERIAL`` unset (a profile sees the work done in this process only).
Otherwise the work is done at once, in this process: the same result, in the same order.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar, cast

A = TypeVar("A")
T = TypeVar("T")

SERIAL = "SPECFOUNDRY_SERIAL"
LAST_NICENESS = 10
"""Added to the niceness of a child whose result is asked for last: Linux then gives it
about a tenth of a core's time beside a process of the caller's niceness, and any time
the others leave."""


class Aside(Generic[T]):
    """The result of ``work()``, worked out in a forked child where :func:`forks`, else
    at once; :meth:`result` joins it (the child's exception is raised here)."""

    def __init__(self, work: Callable[[], T], *, worth_it: bool = True, last: bool = False) -> None:
        """``worth_it``: whether the work takes longer than forking a child for it (tens
        of milliseconds in a large process): the caller's estimate. ``last``: whether its
        result is asked for after that of other work going on meanwhile; its child then
        runs at a lower priority (``LAST_NICENESS``), so that where there are more
        processes than cores, the work waited for first is not slowed down by it."""
        self._outcome: tuple[str, object] | None = None
        self._pipe: Connection | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        if not (worth_it and forks()):
            self._outcome = _outcome(work)
            return
        self._pipe, sending = multiprocessing.Pipe(duplex=False)
        niceness = LAST_NICENESS if last else 0
        self._child = _forked(_work_and_send, work, sending, niceness)
        sending.close()

    def result(self) -> T:
        if self._outcome is None:
            self._outcome = self._join()
        kind, payload = self._outcome
        if kind == "error":
            raise cast(BaseException, payload)
        return cast(T, payload)

    def _join(self) -> tuple[str, object]:
        assert self._pipe is not None and self._child is not None
        try:
            outcome = cast(tuple[str, object], self._pipe.recv())
        except EOFError:
            outcome = ("error", None)
        finally:
            self._pipe.close()
        self._child.join()
        if outcome[1] is None and outcome[0] == "error":
            died = f"the child process working beside died (exit code {self._child.exitcode})"
            outcome = ("error", RuntimeError(died))
        return outcome


class Warm(Generic[A, T]):
    """``work(argument)`` for an argument handed over later, in a child forked now that
    gets ready for it meanwhile (``ready()``: a library's imports and first-call set-up,
    which cost a fresh process a third of a second), where :func:`forks`; else at the
    call, in the calling process.

    :meth:`__call__` hands the argument over and waits for the result; it may be called
    from this process or from a child forked after it (which inherits the pipes), once:
    the child does one piece of work, then ends. :meth:`close` (or the end of a ``with``
    block) ends a child nothing was handed to (the caller found the work done already, or
    never got that far)."""

    def __init__(
        self, ready: Callable[[], object], work: Callable[[A], T], *, worth_it: bool = True
    ) -> None:
        """``worth_it``: whether the work will most likely be handed over (else nothing is
        readied: the work is done at the call, if it comes)."""
        self._work = work
        self._pipes: tuple[Connection, Connection] | None = None
        """Where the argument is sent and the outcome read, while the child waits."""
        if not (worth_it and forks()):
            return
        arguments, sending = multiprocessing.Pipe(duplex=False)
        receiving, outcomes = multiprocessing.Pipe(duplex=False)
        _forked(_ready_then_work, ready, work, arguments, outcomes)
        arguments.close()
        outcomes.close()
        self._pipes = (sending, receiving)

    def __call__(self, argument: A) -> T:
        if self._pipes is None:
            return self._work(argument)
        (sending, receiving), self._pipes = self._pipes, None
        try:
            sending.send(argument)
            kind, payload = cast(tuple[str, object], receiving.recv())
        except (EOFError, OSError):
            kind, payload = "error", RuntimeError("the child process made ready died")
        finally:
            sending.close()
            receiving.close()
        if kind == "error":
            raise cast(BaseException, payload)
        return cast(T, payload)

    def __enter__(self) -> Warm[A, T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """End the child if no work was handed to it from here (one handed over from a
        child forked after it ends the child too: what is sent then goes unread)."""
        if self._pipes is None:
            return
        (sending, receiving), self._pipes = self._pipes, None
        with contextlib.suppress(OSError):  # it has ended already
            sending.send(None)
        sending.close()
        receiving.close()


def _forked(target: Callable[..., object], *args: object) -> multiprocessing.process.BaseProcess:
    """A child forked now, running ``target(*args)`` (a daemon: it ends with this process);
    only where :func:`forks` (no other platform has the "fork" context)."""
    child = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
    # The objects there are now out of the garbage collector's reach until the child is
    # forked: a collection in the child would otherwise write to each of them, and so
    # copy every page of this process (seconds, where a test runner's heap is large).
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    return child


def _ready_then_work(
    ready: Callable[[], object],
    work: Callable[[object], object],
    arguments: Connection,
    outcomes: Connection,
) -> None:
    """A :class:`Warm` child's life: ``ready()``, then ``work`` of the first argument
    handed over (``None``, or every sender gone: nothing to do), its outcome sent back as
    :func:`_work_and_send` sends one."""
    with contextlib.suppress(Exception):  # the work, done without it, says what is wrong
        ready()
    try:
        argument = arguments.recv()
    except EOFError:
        return
    if argument is not None:
        _work_and_send(lambda: work(argument), outcomes, 0)


def _outcome(work: Callable[[], object]) -> tuple[str, object]:
    """``("value", work())``, or ``("error", the exception it raised)``."""
    try:
        return "value", work()
    except Exception as error:
        return "error", error


def _work_and_send(work: Callable[[], object], sending: Connection, niceness: int) -> None:
    """The child's life: ``work()`` (``niceness`` added to its process's), and its value or
    its exception sent back (the exception with the child's traceback as a note: the
    parent raises it anew)."""
    if niceness:
        os.nice(niceness)
    kind, payload = _outcome(work)
    if isinstance(payload, BaseException):
        payload.add_note("In the child process working beside:\n" + _traceback(payload))
    try:
        sending.send((kind, payload))
    except Exception as unsent:  # what does not pickle goes back as text
        failed = payload if isinstance(payload, BaseException) else unsent
        sending.send(("error", RuntimeError(_traceback(failed))))
    sending.close()


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


def forks() -> bool:
    """Whether work handed to :class:`Aside` runs in a child (see the module's docstring)."""
    return (
        sys.platform == "linux"
        and not os.environ.get(SERIAL)
        and len(os.sched_getaffinity(0)) > 1
        and threading.active_count() == 1
    )
