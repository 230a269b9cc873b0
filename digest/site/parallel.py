"""Work spread over processes that share the parent's memory.

Workers are forked after the parent has put what every task needs (config,
index, pages, theme) in `shared`, so nothing big is pickled: a task is a
list of page numbers or file paths, and a result is digests and stamps.
Results stream back as tasks finish, so memory stays flat.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_shared: Any = None  # in a forked worker only: what every task needs (set by _start; never in the parent)


def workers(jobs: int | None) -> int:
    """The worker count: --jobs, else one per core this process may use."""
    if jobs:
        return max(1, jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run(fn: Callable[[Any, T], R], shared: Any, tasks: Sequence[T], jobs: int) -> Iterator[R]:
    """`fn(shared, task)` for every task, over `jobs` processes when jobs > 1; results as they finish.

    This process is one of the `jobs`: it forks jobs - 1 workers and takes tasks
    from the other end of the queue while they work. Every forked worker starts
    as big as its parent, so one process fewer is a parent's worth of memory less.
    """
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield fn(shared, task)
        return
    queue = deque(tasks)
    helpers = min(jobs - 1, len(tasks) - 1)
    frozen = gc.get_freeze_count()  # a caller may have frozen objects already: leave them so
    gc.freeze()  # the collector would otherwise touch, and so copy, every inherited object in each worker
    pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start, initargs=(os.getpid(), shared))  # forked: not pickled
    try:
        pending: set[Future[R]] = set()
        while queue or pending:
            while queue and len(pending) < 2 * helpers:  # two tasks in hand per worker, no more
                pending.add(pool.submit(_call, fn, queue.popleft()))
            done = {future for future in pending if future.done()}
            if not done and queue:
                yield fn(shared, queue.pop())  # our own share, from the back of the queue
                continue
            if not done:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
            pending -= done
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if not frozen:
            gc.unfreeze()


def _start(parent: int, shared: Any) -> None:
    """A worker's start: keep what the tasks share, and die with the parent (a killed build must
    not leave workers writing on, into the output's spare copy)."""
    global _shared
    _shared = shared
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _call(fn: Callable[[Any, T], R], task: T) -> R:
    return fn(_shared, task)
