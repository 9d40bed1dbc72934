"""The one place the pipeline runs work in parallel: forked worker processes.

Two shapes, both built on ``fork`` so that a worker inherits what the parent has loaded
(compiled schemas, the package being rendered) instead of receiving it by pickle:

- ``map_shared(function, tasks)``: every task run, in order of results, by ``jobs - 1``
  workers taking tasks from the end of the list while this process takes them from the
  front; a task no worker has started when this process reaches it, it runs itself, so
  neither side waits long for the other and a small run never starts a worker at all.
- ``beside(function)``: one function run in one worker while this process goes on.

Which steps use them, and how many processes there are, is decided here and in
``springrain.pipeline``; steps never start processes of their own. Without ``fork``
(not Linux or macOS), everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many tasks a worker costs more to start than it saves.
MIN_TASKS_FOR_WORKERS = 2


def cores() -> int:
    """Processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_tagged(
    function: Callable[[T], R],
    tasks: Sequence[T],
    *,
    jobs: int | None = None,
    local: Callable[[T], Any] | None = None,
) -> list[tuple[bool, Any]]:
    """Each task's result, in task order, with whether a worker made it (True) or this
    process (False). ``local``: what this process runs instead of ``function`` for its own
    share (a worker's result may be packed for the trip back)."""
    jobs = cores() if jobs is None else jobs
    local = local or function
    if jobs < 2 or len(tasks) < MIN_TASKS_FOR_WORKERS or not can_fork():
        return [(False, local(task)) for task in tasks]
    results: list[tuple[bool, Any]] = []
    with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(function, task) for task in reversed(tasks)][::-1]
        for task, future in zip(tasks, futures, strict=True):
            if not future.cancel():
                break  # a worker has it, and every task after it
            results.append((False, local(task)))
        results += [(True, future.result()) for future in futures[len(results) :]]
    return results


def map_shared(
    function: Callable[[T], R], tasks: Sequence[T], *, jobs: int | None = None
) -> list[R]:
    """``[function(task) for task in tasks]``, spread over this process and ``jobs - 1``
    forked workers (see the module docstring)."""
    return [value for _, value in map_tagged(function, tasks, jobs=jobs)]


@contextmanager
def beside(function: Callable[[], R]) -> Iterator[Future[R] | None]:
    """Run ``function`` in one forked worker while the block runs; yields its future, or
    None when no second core or no fork is available (then the caller runs it itself)."""
    if cores() < 2 or not can_fork():
        yield None
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(function)
