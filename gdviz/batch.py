"""Render every job a TOML batch file lists, in parallel, with progress and a summary.

A batch file::

    [defaults]                 # optional: applies to every [[job]]
    quality = "m"
    theme = "dark"

    [[job]]
    scene = "scenes/contour.py"          # relative to the batch file
    preset = ["bowl", "plateau"]         # a list multiplies: one job per value
    format = ["mp4", "gif"]
    aspect = ["16:9", "9:16"]

    [[job]]
    scene = "scenes/valley.py"
    kind = "stills"                      # PNGs of the scene's key moments

Keys of a job (lists allowed where marked *): scene*, kind, format*, preset*, config*, quality*,
aspect*, theme*, lang*, transparent, short_side, fps, moments, title. A typo is refused before
anything renders; a job that fails to render is reported at the end and the others go on.

Jobs run in worker processes on this machine (`run_batch` with ``workers``), or on a Dask
cluster (``scheduler="tcp://host:8786"``, the optional ``dask.distributed``); a Dask worker
must see the same paths (a shared file system). Jobs whose outputs are up to date
(`gdviz.jobs.is_up_to_date`) are skipped; jobs that share manim's work folder (formats of one
variant) run one after the other in one task, so the second reuses the first's cached frames.
"""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
import queue
import time
import tomllib
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gdviz.jobs import Job, JobResult, is_up_to_date
from gdviz.pipeline import run_job

__all__ = ["BatchError", "load_batch", "print_summary", "run_batch"]

JOB_KEYS = ("scene", "kind", "format", "preset", "config", "quality", "aspect", "theme", "lang",
            "transparent", "short_side", "fps", "moments", "title")
#: Keys whose list values multiply into one job per value.
MULTI_KEYS = ("scene", "format", "preset", "config", "quality", "aspect", "theme", "lang")
TOP_KEYS = ("defaults", "job")

Event = tuple[int, str, Any]


class BatchError(ValueError):
    """The batch file is malformed; the message names the key and what is allowed."""


def _suggest(key: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{hint}; valid keys there: {', '.join(allowed)}"


def _check_keys(table: Mapping[str, Any], allowed: Sequence[str], where: str, src: Path) -> None:
    for key in table:
        if key not in allowed:
            raise BatchError(f"{src}: unknown key '{key}' in {where}{_suggest(key, allowed)}")


def load_batch(path: str | Path) -> list[Job]:
    """The jobs of a batch file, lists expanded, in file order, duplicates dropped.

    Raises
    ------
    BatchError
        For malformed TOML, an unknown key, or a value no job could take.
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BatchError(f"{path}: {exc}") from None
    _check_keys(doc, TOP_KEYS, "the file", path)
    defaults = doc.get("defaults", {})
    tables = doc.get("job", [])
    if not isinstance(defaults, dict):
        raise BatchError(f"{path}: [defaults] must be a table")
    if not isinstance(tables, list) or not tables:
        raise BatchError(f"{path}: no [[job]] tables: nothing to render")
    _check_keys(defaults, JOB_KEYS, "[defaults]", path)
    root = path.parent
    jobs: list[Job] = []
    seen: set[tuple[str, str]] = set()
    for number, table in enumerate(tables, start=1):
        where = f"[[job]] #{number}"
        _check_keys(table, JOB_KEYS, where, path)
        merged = {**defaults, **table}
        if "scene" not in merged:
            raise BatchError(f"{path}: {where} has no scene")
        axes = {name: (value if isinstance(value, list) else [value])
                for name, value in merged.items() if name in MULTI_KEYS}
        fixed = {name: value for name, value in merged.items() if name not in MULTI_KEYS}
        for values in itertools.product(*axes.values()):
            spec = {**fixed, **dict(zip(axes, values, strict=True))}
            job = _make_job(spec, root, f"{path}: {where}")
            key = (str(job.sidecar_path(Path("."))), job.kind)
            if key not in seen:
                seen.add(key)
                jobs.append(job)
    return jobs


def _make_job(spec: dict[str, Any], root: Path, where: str) -> Job:
    spec = dict(spec)
    for key in ("scene", "config"):
        if spec.get(key) is not None:
            spec[key] = (root / str(spec[key])).resolve()
    # Stills are for print and headers: 4K unless the file says otherwise, as `gdviz stills`.
    spec.setdefault("quality", "k" if spec.get("kind") == "stills" else "h")
    if "moments" in spec:
        moments = spec["moments"]
        spec["moments"] = tuple([moments] if isinstance(moments, str) else moments)
    try:
        return Job(**spec)
    except (TypeError, ValueError) as exc:
        raise BatchError(f"{where}: {exc}") from None


# ---------------------------------------------------------------------- running
def _run_group(group: list[tuple[int, Job]], out_dir: str,
               send: Callable[[Event], None]) -> list[tuple[int, JobResult]]:
    results = []
    for i, job in group:
        send((i, "start", 0.0))
        result = run_job(job, out_dir, lambda kind, value, i=i: send((i, kind, value)))
        send((i, "end", result.status))
        results.append((i, result))
    return results


def _run_group_local(group: list[tuple[int, Job]], out_dir: str,
                     events: Any) -> list[tuple[int, JobResult]]:
    return _run_group(group, out_dir, events.put)


def _run_group_dask(group: list[tuple[int, Job]], out_dir: str,
                    topic: str) -> list[tuple[int, JobResult]]:
    from distributed import get_worker

    worker = get_worker()
    return _run_group(group, out_dir, lambda event: worker.log_event(topic, list(event)))


def _groups(todo: Iterable[tuple[int, Job]], out_dir: Path) -> list[list[tuple[int, Job]]]:
    by_work: dict[Path, list[tuple[int, Job]]] = {}
    for i, job in todo:
        by_work.setdefault(job.work_dir(out_dir), []).append((i, job))
    return list(by_work.values())


def run_batch(jobs: Sequence[Job], out_dir: str | Path = "media/publish", *,
              workers: int | None = None, scheduler: str | None = None, force: bool = False,
              console: Any = None) -> list[JobResult]:
    """Run `jobs`, showing per-job progress on `console` (rich); results in job order.

    Parameters
    ----------
    jobs
        From `load_batch` or made by hand.
    out_dir
        Where outputs go (``OUT/<scene>/...``).
    workers
        Local worker processes (default: the number of CPUs); ignored with `scheduler`.
    scheduler
        Address of a Dask scheduler (``tcp://host:8786``) to run the jobs on instead.
    force
        Render even the jobs whose outputs are up to date.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    out_dir = Path(out_dir).resolve()
    results: dict[int, JobResult] = {}
    todo = []
    for i, job in enumerate(jobs):
        if not force and is_up_to_date(job, out_dir):
            results[i] = JobResult(job, "skipped", [], 0.0)
        else:
            todo.append((i, job))
    groups = _groups(todo, out_dir)

    progress = Progress(TextColumn("{task.fields[status]:>8}"), TextColumn("{task.description}"),
                        BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                        console=console, transient=False)
    tasks = {}
    for i, job in enumerate(jobs):
        status = "skipped" if i in results else "queued"
        tasks[i] = progress.add_task(job.label, total=1.0, status=status,
                                     completed=1.0 if i in results else 0.0,
                                     start=i not in results)
    events: Any
    with progress:
        if not groups:
            pass
        elif scheduler:
            events = queue.Queue()
            _run_on_dask(groups, out_dir, scheduler, events, progress, tasks, results)
        else:
            n_workers = max(1, min(workers or os.cpu_count() or 1, len(groups)))
            # spawn, not fork: this process runs rich's refresh thread, and a forked child of a
            # threaded parent may deadlock on a lock held at fork time.
            ctx = multiprocessing.get_context("spawn")
            with ctx.Manager() as manager, ProcessPoolExecutor(n_workers, mp_context=ctx) as pool:
                events = manager.Queue()
                futures = {pool.submit(_run_group_local, group, str(out_dir), events): group
                           for group in groups}
                _collect(futures, events, progress, tasks, results)
    return [results[i] for i in range(len(jobs))]


def _run_on_dask(groups, out_dir, scheduler, events, progress, tasks, results) -> None:
    try:
        from distributed import Client
    except ImportError:
        raise SystemExit("--scheduler needs dask.distributed: pip install 'gdviz[cluster]'"
                         ) from None
    topic = f"gdviz-{uuid.uuid4().hex}"
    with Client(scheduler) as client:
        client.subscribe_topic(topic, lambda event: events.put(tuple(event[1])))
        futures = {client.submit(_run_group_dask, group, str(out_dir), topic, pure=False): group
                   for group in groups}
        _collect(futures, events, progress, tasks, results)
        client.unsubscribe_topic(topic)


def _collect(futures: Mapping[Any, list[tuple[int, Job]]], events: Any, progress: Any,
             tasks: Mapping[int, Any], results: dict[int, JobResult]) -> None:
    """Show events until every future is done; a lost task fails its jobs, not the batch."""

    def show(event: Event) -> None:
        i, kind, value = event
        if kind == "start":
            progress.start_task(tasks[i])
            progress.update(tasks[i], status="running")
        elif kind == "progress":
            progress.update(tasks[i], completed=float(value))
        elif kind == "end":
            progress.update(tasks[i], status=value, completed=1.0)
            progress.stop_task(tasks[i])

    def drain(timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                show(events.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                return
            except (EOFError, OSError):  # the manager went away: nothing more will come
                return

    pending = dict(futures)
    while pending:
        drain(0.2)
        for fut in [future for future in pending if future.done()]:
            group = pending.pop(fut)
            try:
                for i, result in fut.result():
                    results[i] = result
            except Exception as exc:  # a worker died: its jobs failed, the batch goes on
                for i, job in group:
                    if i not in results:
                        results[i] = JobResult(job, "failed", [], 0.0,
                                               f"worker lost: {type(exc).__name__}: {exc}")
                        show((i, "end", "failed"))
    drain(0.3)  # Dask delivers events asynchronously: let the last ones arrive


def print_summary(results: Sequence[JobResult], console: Any, seconds: float) -> None:
    """A table of every job (status, time, output) and the failures spelled out below it."""
    from rich.table import Table

    table = Table(title="gdviz batch", show_lines=False)
    for col in ("#", "job", "status", "time", "output"):
        table.add_column(col, overflow="fold")
    style = {"done": "green", "skipped": "cyan", "failed": "bold red"}
    cwd = Path.cwd()
    for number, result in enumerate(results, start=1):
        first = result.outputs[0] if result.outputs else None
        where = ""
        if first is not None:
            try:
                where = str(first.relative_to(cwd))
            except ValueError:
                where = str(first)
            if len(result.outputs) > 1 and result.job.kind == "stills":
                where += f" (+{len(result.outputs) - 1})"
        elif result.status == "failed":
            where = "see below"
        table.add_row(str(number), result.job.label, f"[{style[result.status]}]{result.status}[/]",
                      f"{result.seconds:.1f} s" if result.status != "skipped" else "-", where)
    console.print(table)
    counts = {status: sum(result.status == status for result in results)
              for status in ("done", "skipped", "failed")}
    console.print(f"{len(results)} jobs: {counts['done']} done, {counts['skipped']} skipped "
                  f"(up to date), {counts['failed']} failed, in {seconds:.1f} s")
    for number, result in enumerate(results, start=1):
        if result.status == "failed":
            console.print(f"[bold red]FAILED[/] #{number} {result.job.label}\n    {result.error}\n"
                          f"    command: {result.job.command()}"
                          + (f"\n    log: {result.log}" if result.log else ""),
                          highlight=False, soft_wrap=True)
