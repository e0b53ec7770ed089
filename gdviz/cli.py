"""The ``gdviz`` command: publish the scenes without learning manim's flags.

::

    gdviz render SCENE [--preset NAME | --config FILE] [--quality l|m|h|k]
                       [--format mp4|gif|webm|png] [--aspect 16:9|1:1|9:16]
                       [--theme dark|light] [--lang en|ja] [--transparent]
    gdviz stills SCENE [same choices] [--moment NAME ...]
    gdviz batch FILE [--workers N | --scheduler tcp://host:8786] [--force]
    gdviz gallery

Outputs go to ``media/publish/<scene>/`` (``--out``); ``render`` and ``stills`` print the paths of
what they wrote, one a line, on standard output; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gdviz.jobs import ASPECTS, FORMATS, LANGS, QUALITIES, THEMES, Job
from gdviz.pipeline import run_job

__all__ = ["main"]

DEFAULT_OUT = Path("media/publish")
DEFAULT_PAGE = Path("media/gallery/index.html")


def _add_variant_options(p: argparse.ArgumentParser, default_quality: str) -> None:
    p.add_argument("scene", type=Path, help="scene file (one Scene class), e.g. scenes/contour.py")
    problem = p.add_mutually_exclusive_group()
    problem.add_argument("--preset", help="gdmath preset (python -m gdmath presets lists them)")
    problem.add_argument("--config", type=Path, help="gdmath TOML file describing the problem")
    p.add_argument("--quality", "-q", choices=list(QUALITIES), default=default_quality,
                   help="480p15, 720p30, 1080p60, 1440p60 or 2160p60 on the short side "
                        f"(default {default_quality})")
    p.add_argument("--aspect", choices=list(ASPECTS), default="16:9",
                   help="16:9 (slides, video), 1:1 (posts), 9:16 (phones); default 16:9")
    p.add_argument("--theme", choices=THEMES, default="dark", help="default dark")
    p.add_argument("--lang", choices=LANGS, help="on-screen language (default: the config's)")
    p.add_argument("--transparent", action="store_true",
                   help="alpha channel instead of the background (WebM or PNG)")
    p.add_argument("--short-side", type=int, metavar="PX",
                   help="pixels on the short side, overriding the quality's")
    p.add_argument("--fps", type=float, help="frame rate, overriding the quality's")
    p.add_argument("--title", help="title shown in the gallery")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help=f"output folder (default {DEFAULT_OUT})")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gdviz", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("render", help="render one clip and print where it is")
    _add_variant_options(r, "h")
    r.add_argument("--format", "-f", choices=FORMATS, default="mp4", help="default mp4")
    r.add_argument("--jobs", type=int, default=1,
                   help="processes for one MP4/GIF (animation ranges joined without "
                        "re-encoding); default 1")

    s = sub.add_parser("stills", help="high-resolution PNGs of the scene's key moments")
    _add_variant_options(s, "k")
    s.add_argument("--moment", action="append", default=[], metavar="NAME",
                   help="only this key moment (repeatable); default: all, or the last frame")

    b = sub.add_parser("batch", help="render every job of a TOML batch file")
    b.add_argument("file", type=Path)
    b.add_argument("--out", type=Path, default=DEFAULT_OUT)
    b.add_argument("--workers", type=int, help="local worker processes (default: CPUs)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on this Dask scheduler (tcp://host:8786) instead; needs "
                        "gdviz[cluster] and workers that see the same paths")
    b.add_argument("--force", action="store_true", help="re-render up-to-date jobs too")
    b.add_argument("--gallery", action="store_true", help="then rebuild the gallery page")

    g = sub.add_parser("gallery", help=f"write {DEFAULT_PAGE} showing every rendered clip")
    g.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the outputs are")
    g.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    return ap


def _job_from_args(args: argparse.Namespace, kind: str) -> Job:
    return Job(scene=args.scene, kind=kind, format=getattr(args, "format", "png"),
               preset=args.preset, config=args.config, quality=args.quality, aspect=args.aspect,
               theme=args.theme, lang=args.lang, transparent=args.transparent,
               short_side=args.short_side, fps=args.fps,
               moments=tuple(getattr(args, "moment", ())), title=args.title,
               parallel=getattr(args, "jobs", 1))


def _run_one(job: Job, out: Path) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task(job.label, total=1.0)
        result = run_job(job, out, lambda kind, value: progress.update(task, completed=value))
    if result.status != "done":
        console.print(f"[bold red]failed[/] {job.label}: {result.error}", highlight=False,
                      soft_wrap=True)
        if result.log:
            console.print(f"log: {result.log}", highlight=False, soft_wrap=True)
        return 1
    console.print(f"{job.label}: done in {result.seconds:.1f} s", highlight=False)
    shown = result.outputs if job.kind == "stills" else result.outputs[:1]
    for p in shown:
        try:
            print(p.relative_to(Path.cwd()))
        except ValueError:
            print(p)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdviz`` console script."""
    args = _parser().parse_args(argv)
    if args.command in ("render", "stills"):
        try:
            job = _job_from_args(args, args.command)
        except ValueError as exc:
            print(f"gdviz {args.command}: error: {exc}", file=sys.stderr)
            return 2
        return _run_one(job, args.out)
    if args.command == "batch":
        from rich.console import Console

        from gdviz.batch import BatchError, load_batch, print_summary, run_batch

        console = Console(stderr=True)
        try:
            jobs = load_batch(args.file)
        except BatchError as exc:
            print(f"gdviz batch: error: {exc}", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        results = run_batch(jobs, args.out, workers=args.workers, scheduler=args.scheduler,
                            force=args.force, console=console)
        print_summary(results, console, time.perf_counter() - t0)
        if args.gallery:
            from gdviz.gallery import build_gallery

            console.print(f"gallery: {build_gallery(args.out)}", highlight=False)
        return 1 if any(r.status == "failed" for r in results) else 0
    from gdviz.gallery import build_gallery

    page = build_gallery(args.out, args.page)
    try:
        print(page.relative_to(Path.cwd()))
    except ValueError:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
