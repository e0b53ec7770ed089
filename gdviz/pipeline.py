"""How a publishing job runs: check, plan, render, convert, record (the steps: `gdviz.jobs`)."""

from __future__ import annotations

import configparser
import contextlib
import dataclasses
import io
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gdviz.jobs import FRAME_HEIGHT, Event, Job, JobError, JobResult
from scenes.kit.env import read_environment


# ---------------------------------------------------------------------- the pipeline
def _write_manim_cfg(job: Job, work: Path) -> Path:
    from scenes.kit.theme import THEMES as PALETTES

    cfg = work / "gdviz-manim.cfg"
    # The scene folder's manim.cfg (encoder settings, no per-play cache): manim itself reads
    # only the working directory's. The job sets the size, frame rate and colours.
    parser = configparser.ConfigParser()
    folder = job.scene.resolve().parent / "manim.cfg"
    if folder.is_file():
        parser.read(folder)
    if not parser.has_section("CLI"):
        parser.add_section("CLI")
    for key in ("pixel_width", "pixel_height", "frame_rate"):
        parser.remove_option("CLI", key)
    if job.format == "webm":
        # The folder's encoder options are x264's; VP9's own are set on the command line.
        parser.remove_section("video_encoder.options")
    # Manim recomputes frame_width from the pixel size only for pixel sizes read from a config
    # file, not for -r on the command line: without this line a 9:16 render would be squashed.
    parser.set("CLI", "frame_height", str(FRAME_HEIGHT))
    parser.set("CLI", "frame_width", repr(job.frame_width))
    parser.set("CLI", "background_color", PALETTES[job.theme].background)
    out = io.StringIO()
    parser.write(out)
    text = out.getvalue()
    if not cfg.is_file() or cfg.read_text() != text:
        cfg.write_text(text)
    return cfg


def _check_problem(job: Job, env: Mapping[str, str]) -> str:
    """Validate the job's ``GDVIZ_*`` choices; returns the language that will be shown."""
    try:
        return read_environment(env).language
    except (ValueError, OSError) as exc:
        raise JobError(f"problem: {exc}") from None


def _last_lines(log: Path, n: int = 1) -> str:
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()
                 if line.strip()]
    except OSError:
        return ""
    # Manim's rich tracebacks end with the exception line; skip rich's frame decorations.
    useful = [line for line in lines if not set(line) <= set("─│╭╮╰╯ ")]
    return " | ".join(useful[-n:])


def _run_logged(cmd: list[str], env: Mapping[str, str], log: Path,
                on_line: Callable[[str], None] | None = None, what: str = "manim") -> None:
    """Run `cmd`, its output appended to `log`, each line passed to `on_line`."""
    with log.open("a") as logf:
        logf.write(f"$ {shlex.join(cmd)}\n")
        logf.flush()
        proc = subprocess.Popen(cmd, env=dict(env), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        assert proc.stdout is not None
        for line in proc.stdout:
            logf.write(line)
            if on_line is not None:
                on_line(line)
        returncode = proc.wait()
    if returncode:
        raise JobError(f"{what} exited with {returncode}: {_last_lines(log)}", log)


def _plan(job: Job, work: Path, env: Mapping[str, str], cfg: Path, log: Path) -> dict[str, Any]:
    """The scene's plan (see `gdviz.plan`), cached in the work folder per fingerprint."""
    # The plan depends on the variant, not on the format or the moments asked for.
    key = dataclasses.replace(job, kind="render", format="png", moments=(), title=None,
                              parallel=1).fingerprint()
    cache = work / "plan.json"
    try:
        cached = json.loads(cache.read_text())
        if cached.get("key") == key:
            return cached
    except (OSError, ValueError):
        pass
    out = work / "plan.out.json"
    width, height = job.pixel_size
    _run_logged([sys.executable, "-m", "gdviz.plan", str(job.scene), "--cfg", str(cfg),
                 "--size", f"{width},{height}", "--media-dir", str(work), "--json", str(out)],
                env, log, what="planning the scene (a dry run)")
    plan = json.loads(out.read_text())
    plan["key"] = key
    cache.write_text(json.dumps(plan))
    return plan


def _manim_cmd(job: Job, cfg: Path, work: Path, scene_name: str, name: str, fmt: str,
               extra: tuple[str, ...] = ()) -> list[str]:
    width, height = job.pixel_size
    cmd = [sys.executable, "-m", "manim", "render", "-c", str(cfg), "-r", f"{width},{height}",
           "--fps", f"{job.frame_rate:g}", "--media_dir", str(work), "-o", name,
           "--progress_bar", "none", "-v", "INFO", "--format", fmt]
    # Say the codec and pixel format outright: a user's manim.cfg must not turn the published
    # MP4 into something a browser cannot play.
    if fmt == "mp4":
        cmd += ["--video-codec", "libx264", "--pixel-format", "yuv420p"]
    elif fmt == "webm":
        cmd += ["--video-codec", "libvpx-vp9",
                "--pixel-format", "yuva420p" if job.transparent else "yuv420p",
                # b=0 makes crf a constant quality (not a cap under a default bitrate);
                # row-mt and cpu-used=4 make VP9 several times faster at a small cost in size.
                "--encoder-option", "b=0", "--encoder-option", "row-mt=1",
                "--encoder-option", "cpu-used=4"]
    if job.transparent:
        cmd.append("-t")
    return [*cmd, *extra, str(job.scene), scene_name]


def _find_new(work: Path, name: str, since: float) -> Path:
    found = [path for path in work.rglob(name)
             if path.is_file() and path.stat().st_mtime >= since - 1
             and "partial_movie_files" not in path.parts]
    if not found:
        raise JobError(f"manim wrote no {name} under {work}")
    return max(found, key=lambda path: path.stat().st_mtime)


def _render_clip(job: Job, out_dir: Path, work: Path, env: Mapping[str, str], cfg: Path,
                 plan: Mapping[str, Any], log: Path, emit: Event) -> list[Path]:
    from gdviz import formats

    target = job.output_path(out_dir)
    total = max(1, len(plan["durations"]))
    manim_fmt = "mp4" if job.format == "gif" else job.format
    started = time.time()
    if job.parallel > 1:
        from gdviz.parallel import Plan, render_parallel

        width, height = job.pixel_size
        mid = target if job.format == "mp4" else work / "out.mp4"
        # render_parallel reports its parts on stdout, where `gdviz render` prints only paths.
        with contextlib.redirect_stdout(sys.stderr):
            render_parallel(
                job.scene, quality=job.quality, jobs=job.parallel, media_dir=work / "parallel",
                extra_args=("-c", str(cfg), "-r", f"{width},{height}",
                            "--fps", f"{job.frame_rate:g}",
                            "--video-codec", "libx264", "--pixel-format", "yuv420p"),
                env=env, output=mid,
                plan=Plan.from_json(plan))
        emit("progress", 0.9)
    else:
        def on_line(line: str) -> None:
            match = re.search(r"Animation (\d+) :", line)
            if match:
                emit("progress", 0.9 * (int(match.group(1)) + 1) / total)

        _run_logged(_manim_cmd(job, cfg, work, plan["scene_name"], "out", manim_fmt),
                    env, log, on_line)
        mid = _find_new(work, f"out.{manim_fmt}", started)
    poster = job.output_dir(out_dir) / "posters" / f"{job.variant}-{job.format}.png"
    if job.format == "png":
        formats.copy_atomic(mid, target)
        return [target]
    if job.format == "mp4":
        if mid != target:
            formats.faststart(mid, target)
    elif job.format == "gif":
        formats.mp4_to_gif(mid, target)
    else:
        formats.copy_atomic(mid, target)
    formats.write_poster(target, poster, alpha=job.transparent)
    return [target, poster]


def _render_stills(job: Job, out_dir: Path, work: Path, env: Mapping[str, str], cfg: Path,
                   plan: Mapping[str, Any], log: Path, emit: Event) -> list[Path]:
    from gdviz import formats

    n = len(plan["durations"])
    declared = {name: (frame + n if frame < 0 else frame)
                for name, frame in plan.get("key_moments", [])}
    for name, index in declared.items():
        if not 0 <= index < n:
            raise JobError(f"KEY_MOMENTS[{name!r}] = {index} is outside the scene's {n} "
                           "animations (0 to n-1, or negative from the end)")
    wanted = list(job.moments) or list(declared) or ["last"]
    unknown = [moment for moment in wanted if moment not in declared and moment != "last"]
    if unknown:
        have = ", ".join([*declared, "last"])
        raise JobError(f"unknown moment(s) {', '.join(unknown)}: this scene has {have}")
    outputs = []
    for k, moment in enumerate(wanted):
        # -n i,i with a PNG fast-forwards through animations 0..i and saves the end of i.
        extra = ("-n", f"{declared[moment]},{declared[moment]}") if moment in declared else ()
        name = f"still-{moment}"
        started = time.time()
        _run_logged(_manim_cmd(job, cfg, work, plan["scene_name"], name, "png", extra), env, log)
        png = _find_new(work, f"{name}.png", started)
        target = job.output_dir(out_dir) / f"{job.variant}-{moment}.png"
        outputs.append(formats.copy_atomic(png, target))
        emit("progress", (k + 1) / len(wanted))
    return outputs


def run_job(job: Job, out_dir: str | Path, emit: Event | None = None) -> JobResult:
    """Make the job's outputs under `out_dir`; never raises for a failure of the job itself.

    `emit(kind, value)` receives ``("progress", fraction)`` events.
    """
    emit = emit or (lambda kind, value: None)
    out_dir = Path(out_dir).resolve()
    started = time.perf_counter()
    log = job.work_dir(out_dir) / f"{job.kind}-{job.format}.log"
    try:
        work = job.work_dir(out_dir)
        work.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        if not job.scene.is_file():
            raise JobError(f"no scene file {job.scene}")
        env = job.environment()
        language = _check_problem(job, env)
        cfg = _write_manim_cfg(job, work)
        plan = _plan(job, work, env, cfg, log)
        emit("progress", 0.02)
        make = _render_stills if job.kind == "stills" else _render_clip
        outputs = make(job, out_dir, work, env, cfg, plan, log, emit)
        _write_sidecar(job, out_dir, outputs, plan, language)
        emit("progress", 1.0)
        return JobResult(job, "done", outputs, time.perf_counter() - started, log=log)
    except JobError as exc:
        return JobResult(job, "failed", [], time.perf_counter() - started, str(exc), exc.log or log)
    except Exception as exc:  # a bug or an I/O error: reported with the job, not raised
        return JobResult(job, "failed", [], time.perf_counter() - started,
                         f"{type(exc).__name__}: {exc}", log)


def _write_sidecar(job: Job, out_dir: Path, outputs: list[Path], plan: Mapping[str, Any],
                   language: str) -> None:
    from gdviz import formats

    side = job.sidecar_path(out_dir)
    base = side.parent
    width, height = job.pixel_size
    meta: dict[str, Any] = {
        "job": job.settings(),
        "command": job.command(),
        "title": job.title or _default_title(job, plan, language),
        "scene_name": plan["scene_name"],
        "scene_doc": plan.get("doc", ""),
        "language": language,
        "width": width,
        "height": height,
        "outputs": [os.path.relpath(path, base) for path in outputs],
        "fingerprint": job.fingerprint(),
        "made": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if job.kind == "render" and job.format != "png":
        info = formats.probe(outputs[0])
        meta.update(duration=info.duration, codec=info.codec, width=info.width,
                    height=info.height)
    if job.kind == "stills":
        meta["moments"] = [path.stem[len(job.variant) + 1:] for path in outputs]
    tmp = formats.partial_path(side)
    tmp.write_text(json.dumps(meta, indent=2))
    os.replace(tmp, side)


def _default_title(job: Job, plan: Mapping[str, Any], language: str) -> str:
    bits = [job.problem, job.aspect, job.theme, language]
    if job.transparent:
        bits.append("transparent")
    return f"{plan['scene_name']} ({', '.join(bits)})"
