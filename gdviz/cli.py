"""The ``gdviz`` command: publish the scenes without learning manim's flags.

::

    gdviz render SCENE [--preset NAME | --config FILE] [--quality l|m|h|k]
                       [--format mp4|gif|webm|png] [--aspect 16:9|1:1|9:16]
                       [--theme dark|light] [--lang en|ja] [--transparent]
    gdviz stills SCENE [same choices] [--moment NAME ...]
    gdviz batch FILE [--workers N | --scheduler tcp://host:8786] [--force]
    gdviz gallery [--out DIR]
    gdviz slides SCENE [same choices] [--out DIR] [--reveal DIR]

``render --captions [vtt|srt]`` also writes the clip's captions beside it (see `_after_render`).

Outputs go to ``media/publish/<scene>/`` (``--out``); ``render`` and ``stills`` print the paths of
what they wrote, one a line, on standard output; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from gdviz.jobs import ASPECTS, FORMATS, QUALITIES, Job
from gdviz.pipeline import run_job
from scenes.kit.env import LANGUAGES, THEME_NAMES

__all__ = ["main"]

DEFAULT_OUT = Path("media/publish")


def _add_variant_options(parser: argparse.ArgumentParser, default_quality: str) -> None:
    parser.add_argument("scene", type=Path,
                        help="scene file (one Scene class), e.g. scenes/contour.py")
    problem = parser.add_mutually_exclusive_group()
    problem.add_argument("--preset", help="gdmath preset (python -m gdmath presets lists them)")
    problem.add_argument("--config", type=Path, help="gdmath TOML file describing the problem")
    parser.add_argument("--quality", "-q", choices=list(QUALITIES), default=default_quality,
                        help="480p15, 720p30, 1080p60, 1440p60 or 2160p60 on the short side "
                             f"(default {default_quality})")
    parser.add_argument("--aspect", choices=list(ASPECTS), default="16:9",
                        help="16:9 (slides, video), 1:1 (posts), 9:16 (phones); default 16:9")
    parser.add_argument("--theme", choices=THEME_NAMES, default="dark", help="default dark")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="on-screen language (default: the config's)")
    parser.add_argument("--transparent", action="store_true",
                        help="alpha channel instead of the background (WebM or PNG)")
    parser.add_argument("--short-side", type=int, metavar="PX",
                        help="pixels on the short side, overriding the quality's")
    parser.add_argument("--fps", type=float, help="frame rate, overriding the quality's")
    parser.add_argument("--title", help="title shown in the gallery")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default {DEFAULT_OUT})")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gdviz", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = sub.add_parser("render", help="render one clip and print where it is")
    _add_variant_options(render, "h")
    render.add_argument("--format", "-f", choices=FORMATS, default="mp4", help="default mp4")
    render.add_argument("--jobs", type=int, default=1,
                        help="processes for one MP4/GIF (animation ranges joined without "
                             "re-encoding); default 1")
    _add_captions_option(render)

    stills = sub.add_parser("stills", help="high-resolution PNGs of the scene's key moments")
    _add_variant_options(stills, "k")
    stills.add_argument("--moment", action="append", default=[], metavar="NAME",
                        help="only this key moment (repeatable); default: all, or the last frame")

    batch = sub.add_parser("batch", help="render every job of a TOML batch file")
    batch.add_argument("file", type=Path)
    batch.add_argument("--out", type=Path, default=DEFAULT_OUT)
    batch.add_argument("--workers", type=int, help="local worker processes (default: CPUs)")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on this Dask scheduler (tcp://host:8786) instead; needs "
                            "gdviz[cluster] and workers that see the same paths")
    batch.add_argument("--force", action="store_true", help="re-render up-to-date jobs too")
    batch.add_argument("--gallery", action="store_true", help="then rebuild the gallery page")

    gallery = sub.add_parser("gallery", help="write OUT/index.html showing every clip under OUT")
    gallery.add_argument("--out", type=Path, default=DEFAULT_OUT,
                         help="where the outputs are; the page goes there too")
    gallery.add_argument("--page", type=Path,
                         help="write the page elsewhere (default OUT/index.html)")
    gallery.add_argument("--no-companions", action="store_true",
                         help="do not write the 3D companions (<stem>.3d.html)")
    _add_slides_parser(sub)
    return parser


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
        # The log stays in the job's work folder, in the user's cache, never in `out`.
        if result.log is not None and Path(result.log).is_file():
            console.print(f"log: {result.log}", highlight=False, soft_wrap=True)
        return 1
    console.print(f"{job.label}: done in {result.seconds:.1f} s", highlight=False)
    shown = result.outputs if job.kind == "stills" else result.outputs[:1]
    for path in shown:
        try:
            print(path.relative_to(Path.cwd()))
        except ValueError:
            print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdviz`` console script; Ctrl-C ends it with one line (exit 130)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("gdviz: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("render", "stills"):
        try:
            job = _job_from_args(args, args.command)
        except ValueError as exc:
            print(f"gdviz {args.command}: error: {exc}", file=sys.stderr)
            return 2
        # Outputs are written under a temporary name and renamed, and scratch lives in the
        # user's cache (`Job.work_dir`): an interrupted or failed run leaves nothing in `out`.
        exit_code = _run_one(job, args.out)
        if exit_code == 0 and args.command == "render":
            exit_code = _after_render(job, args.out, args.captions)
        return exit_code
    if args.command == "slides":
        return _slides(args)
    if args.command == "batch":
        from rich.console import Console

        from gdviz.batch import BatchError, load_batch, print_summary, run_batch

        console = Console(stderr=True)
        try:
            jobs = load_batch(args.file)
        except BatchError as exc:
            print(f"gdviz batch: error: {exc}", file=sys.stderr)
            return 2
        started = time.perf_counter()
        results = run_batch(jobs, args.out, workers=args.workers, scheduler=args.scheduler,
                            force=args.force, console=console)
        print_summary(results, console, time.perf_counter() - started)
        if args.gallery:
            from gdviz.gallery import build_gallery

            console.print(f"gallery: {build_gallery(args.out)}", highlight=False)
        return 1 if any(result.status == "failed" for result in results) else 0
    from gdviz.gallery import build_gallery

    page = build_gallery(args.out, args.page, companions=not args.no_companions,
                         warn=lambda message: print(f"gdviz gallery: {message}",
                                                    file=sys.stderr))
    try:
        print(page.relative_to(Path.cwd()))
    except ValueError:
        print(page)
    return 0


# --------------------------------------------------------------------------- publishing extras
def _add_captions_option(parser: argparse.ArgumentParser) -> None:
    from gdviz.captions import CAPTION_FORMATS

    parser.add_argument("--captions", nargs="?", const="vtt", choices=CAPTION_FORMATS,
                        help="also write <stem>.vtt (or .srt) beside the clip, timed to the beats")


def _print_path(path: Path) -> None:
    try:
        print(path.relative_to(Path.cwd()))
    except ValueError:
        print(path)


def _render_plan(job: Job, out: Path) -> dict | None:
    """The plan the render just made (its work folder keeps it), so as not to plan again."""
    import json

    try:
        return json.loads((job.work_dir(out) / "plan.json").read_text())
    except (OSError, ValueError):
        return None


def _after_render(job: Job, out: Path, captions: str | None) -> int:
    """After `gdviz render`: captions and the key-moment poster.

    Beat times come from the scene's plan (`gdviz.beats.scene_timeline`), the clip's length
    from the file; the poster (``posters/<variant>-<format>.png``) becomes the frame of the
    scene's first key moment instead of the last frame.
    """
    from gdviz import formats
    from gdviz.beats import NoPlanError, scene_timeline, write_frame
    from gdviz.captions import cues, write_captions

    clip = job.output_path(out)
    exit_code = 0
    if job.format in ("mp4", "webm") or captions:
        try:
            timeline = scene_timeline(job, _render_plan(job, out))
            length = formats.probe(clip).duration
            moment = timeline.moment_time()
            poster = job.output_dir(out) / "posters" / f"{job.variant}-{job.format}.png"
            if moment is not None and poster.is_file() and not job.transparent:
                write_frame(clip, poster, min(moment, length))
            if captions:
                items = cues(timeline.beats, job.language, timeline.scene_name)
                _print_path(write_captions(clip, items, captions, limit=length))
        except NoPlanError as exc:
            # A plain manim scene keeps its last-frame poster; captions need beats.
            if captions:
                print(f"gdviz render: no captions: {exc}", file=sys.stderr)
                exit_code = 1
        except (RuntimeError, ValueError, OSError) as exc:
            print(f"gdviz render: captions/poster: {exc}", file=sys.stderr)
            exit_code = 1
    return exit_code


def _add_slides_parser(sub: Any) -> None:
    slides = sub.add_parser("slides",
                            help="the scene as a manim-slides HTML deck, a slide a section")
    _add_variant_options(slides, "l")
    slides.add_argument("--reveal", type=Path, metavar="DIR",
                        help="a local reveal.js package folder to copy next to the deck (default: "
                             "$GDVIZ_REVEAL, or one fetched once with npm into ~/.cache/gdviz)")


def _slides(args: argparse.Namespace) -> int:
    from scenes.kit.env import read_environment

    try:
        job = _job_from_args(args, "render")
        read_environment(job.environment())
        import manim_slides  # noqa: F401
    except ValueError as exc:
        print(f"gdviz slides: error: {exc}", file=sys.stderr)
        return 2
    except ImportError:
        print("gdviz slides: error: needs manim-slides (pip install 'gdviz[render]')",
              file=sys.stderr)
        return 2
    from gdviz.slides import build_deck

    if not job.scene.is_file():
        print(f"gdviz slides: error: no scene file {job.scene}", file=sys.stderr)
        return 2
    try:
        page, count = build_deck(job, args.out, args.reveal,
                                 log=lambda message: print(message, file=sys.stderr))
    except (RuntimeError, ValueError) as exc:
        print(f"gdviz slides: error: {exc}", file=sys.stderr)
        return 1
    print(f"{count} slides", file=sys.stderr)
    _print_path(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
