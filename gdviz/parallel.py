"""Render one scene file in several processes and join the pieces without re-encoding.

Manim renders one animation (one ``play``/``wait``) after another in a single process. Its
``-n FROM,TO`` option renders a contiguous range of animations (the ones before it are skipped but
still run, so the scene's state is right). This module

1. plans the scene: a dry run in this process records the duration of every animation and
   whether it is a frozen hold (kept in ``media/parallel/`` and reused while the scene code,
   gdmath and the ``GDVIZ_*`` settings are unchanged);
2. splits the animations into ``jobs`` contiguous ranges of about equal estimated cost (a held
   frame is drawn once, so a hold costs a fraction of an animation of the same length);
3. renders each range in its own ``manim`` process, each with its own media folder under
   ``media/parallel/`` so that manim's cache keeps working per range (the last range runs to
   the scene's end, whatever the plan says);
4. joins the range videos by copying packets (no re-encode) into the file manim itself would
   have written, with the index (moov atom) at the front for fast start on the web.

Usage::

    python -m gdviz.parallel scenes/descent.py [-q h] [--jobs 2]

The result has the same frames as a single-process render: each range is made of the same
per-animation partial movie files that a single process concatenates.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "Plan",
    "RenderResult",
    "cached_plan",
    "folder_config",
    "join_videos",
    "plan_scene",
    "render_parallel",
    "render_parts",
    "split_ranges",
    "up_to_date",
    "write_stamp",
]

QUALITY_DIRS = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
#: Cost of a frozen hold relative to an animation of the same length (see `Plan.costs`).
HOLD_COST = 0.1
#: Wall milliseconds per 1080p frame of an animation: a frame with nothing drawn, each drawn
#: piece (a VMobject with points), each drawn face of a mesh (an object's ``drawn_faces``).
#: Fitted (non-negative least squares, weighted by frames) to the per-play figures of
#: benchmarks/video_time.py on the main video (2 cores, 2026-12-08): 26-41 ms a frame for the
#: title, the slice and the map (60-480 pieces, no mesh), 71-142 for the 3D beats over 3,000 to
#: 5,800 faces. Pieces no longer add a measurable cost: the trail is a few dozen pieces since it
#: is cut by length, and the unchanged glyphs of the overlay are composited as layers. (The
#: 12-02 fit, 22 + 0.04 a piece + 0.006 a face, split the video 15 % unevenly on 12-08.)
FRAME_BASE_MS = 44.0
PIECE_MS = 0.0
FACE_MS = 0.0136


@dataclass(frozen=True)
class Plan:
    """What a scene will play.

    Attributes
    ----------
    scene_name : str
        The one Scene subclass in the file.
    durations : tuple of float
        Seconds of each animation, in order.
    key_moments : tuple of (str, int)
        The scene's optional ``KEY_MOMENTS`` (name -> animation index), as a class attribute or
        set on the instance during ``construct``; ``gdviz stills`` renders the end of each.
    frozen : tuple of bool
        Whether each animation is a frozen hold (``pause``): manim draws its frame once and
        repeats it. Empty when unknown.
    beats : tuple of (str, str, str)
        For a planned scene (`scenes.kit.planned.PlannedScene`), each animation's beat name,
        kind (``play``/``hold``) and section, as the scene recorded them. Empty otherwise.
    loads : tuple of (float, float)
        Pieces and mesh faces on screen during each animation (`drawn_load`, the mean of its
        start and end). Empty when unknown.
    """

    scene_name: str
    durations: tuple[float, ...]
    key_moments: tuple[tuple[str, int], ...] = ()
    frozen: tuple[bool, ...] = ()
    beats: tuple[tuple[str, str, str], ...] = ()
    loads: tuple[tuple[float, float], ...] = ()

    def costs(self) -> tuple[float, ...]:
        """Estimated render cost of each animation, in seconds of an empty frame's video.

        An animation draws every frame, at `FRAME_BASE_MS` plus `PIECE_MS` a drawn piece and
        `FACE_MS` a drawn mesh face (`loads`; without them every frame costs the base); a
        frozen hold draws one frame and repeats it, which costs about `HOLD_COST` of an empty
        animation of the same length (encoding the repeats).
        """
        count = len(self.durations)
        frozen = self.frozen if len(self.frozen) == count else (False,) * count
        loads = self.loads if len(self.loads) == count else ((0.0, 0.0),) * count
        costs = []
        for duration, is_frozen, (pieces, faces) in zip(self.durations, frozen, loads,
                                                        strict=True):
            frame_ms = FRAME_BASE_MS + PIECE_MS * pieces + FACE_MS * faces
            costs.append(duration * (HOLD_COST if is_frozen else frame_ms / FRAME_BASE_MS))
        return tuple(costs)

    @property
    def total(self) -> float:
        """Planned length of the video in seconds."""
        return float(sum(self.durations))

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-ready values (`from_json` reads them back)."""
        return {"scene_name": self.scene_name, "durations": list(self.durations),
                "key_moments": [list(moment) for moment in self.key_moments],
                "frozen": list(self.frozen), "beats": [list(beat) for beat in self.beats],
                "loads": [list(load) for load in self.loads]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        """A plan from `to_json`'s values; other keys are ignored, missing optional ones empty."""
        return cls(scene_name=str(data["scene_name"]),
                   durations=tuple(float(seconds) for seconds in data["durations"]),
                   key_moments=tuple((str(name), int(frame))
                                     for name, frame in data.get("key_moments", ())),
                   frozen=tuple(bool(flag) for flag in data.get("frozen", ())),
                   beats=tuple(tuple(map(str, beat)) for beat in data.get("beats", ())),
                   loads=tuple((float(pieces), float(faces))
                               for pieces, faces in data.get("loads", ())))


def _scene_class(path: Path):
    from manim import Scene

    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    classes = [
        scene_class for _, scene_class in inspect.getmembers(module, inspect.isclass)
        if issubclass(scene_class, Scene) and scene_class.__module__ == module.__name__
    ]
    if len(classes) != 1:
        names = [scene_class.__name__ for scene_class in classes]
        raise ValueError(f"{path} must define exactly one Scene, found {names}")
    return classes[0]


def plan_scene(path: str | Path) -> Plan:
    """Dry-run the scene file in this process and record each animation's duration."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    path = Path(path).resolve()
    scene_cls = _scene_class(path)
    durations: list[float] = []
    frozen: list[bool] = []
    loads: list[tuple[float, float]] = []
    original = CairoRenderer.play

    def recording_play(self, scene, *args, **kwargs):
        before = drawn_load(scene)
        original(self, scene, *args, **kwargs)
        after = drawn_load(scene)
        durations.append(float(scene.duration))
        frozen.append(bool(scene.animations) and scene.is_current_animation_frozen_frame())
        # What is on screen at the animation's start and at its end, on average.
        loads.append(((before[0] + after[0]) / 2, (before[1] + after[1]) / 2))

    CairoRenderer.play = recording_play
    try:
        # Skipping every animation (as -n does before its range) still runs each one to its
        # end state and records its duration, but draws no frame: descent.py plans in 8 s
        # instead of 276 s.
        with tempconfig({"dry_run": True, "disable_caching": True, "verbosity": "ERROR",
                         "progress_bar": "none", "from_animation_number": 10**9}):
            scene = scene_cls()
            scene.render()
    finally:
        CairoRenderer.play = original
    # Read after the run: a scene whose moments depend on the problem (the number of steps)
    # records them while it plays.
    moments = getattr(scene, "KEY_MOMENTS", None) or {}
    played = getattr(scene, "played", None)
    beats = tuple((beat.name, beat.kind, beat.section) for beat in played.beats) if played else ()
    if len(beats) != len(durations):
        beats = ()  # a scene that plays animations outside its beats: no names to give
    return Plan(scene_name=scene_cls.__name__, durations=tuple(durations),
                key_moments=tuple((str(name), int(frame))
                                  for name, frame in dict(moments).items()),
                frozen=tuple(frozen), beats=beats, loads=tuple(loads))


def drawn_load(scene) -> tuple[int, int]:
    """(pieces, mesh faces) the scene would draw now.

    Each VMobject with points is a piece, unless it says how many faces it draws
    (``drawn_faces``: a mesh).
    """
    from manim import VMobject

    pieces = faces = 0
    for top in scene.mobjects:
        for mob in top.get_family():
            drawn = getattr(mob, "drawn_faces", None)
            if drawn is not None:
                faces += int(drawn)
            elif isinstance(mob, VMobject) and len(mob.points):
                pieces += 1
    return pieces, faces


def _plan_key(scene_file: Path) -> str:
    """What a plan depends on: the scene folder's and gdmath's code, ``GDVIZ_*``, versions."""
    import manim

    digest = hashlib.sha256()
    gdmath_spec = importlib.util.find_spec("gdmath")
    folders = [scene_file.resolve().parent]
    if gdmath_spec is not None and gdmath_spec.origin:
        folders.append(Path(gdmath_spec.origin).parent)
    for folder in folders:
        for path in sorted([*folder.rglob("*.py"), *folder.glob("*.cfg")]):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for key in sorted(k for k in os.environ if k.startswith("GDVIZ_")):
        digest.update(f"{key}={os.environ[key]}".encode())
    config_file = os.environ.get("GDVIZ_CONFIG")
    if config_file and Path(config_file).is_file():
        digest.update(Path(config_file).read_bytes())
    digest.update(f"{scene_file.resolve()} {manim.__version__} {sys.version}".encode())
    return digest.hexdigest()


def cached_plan(scene_file: str | Path, media_dir: str | Path = "media") -> Plan:
    """`plan_scene`, reused from ``media/parallel/<stem>.plan.json`` while its inputs match.

    A stale plan could only unbalance the ranges: the last range always runs to the end.
    """
    scene_file = Path(scene_file)
    path = Path(media_dir) / "parallel" / f"{scene_file.stem}.plan.json"
    key = _plan_key(scene_file)
    try:
        data = json.loads(path.read_text())
        if data["key"] == key:
            return Plan.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    plan = plan_scene(scene_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": key, **plan.to_json()}))
    tmp.replace(path)
    return plan


def split_ranges(durations: tuple[float, ...] | list[float], jobs: int) -> list[tuple[int, int]]:
    """Split animations 0..n-1 into at most `jobs` contiguous inclusive ranges of similar length.

    `durations` may be any per-animation weights (`Plan.costs`). Each cut is placed where the
    running total is nearest to k/jobs of the whole; no range is empty.
    """
    n = len(durations)
    jobs = max(1, min(jobs, n))
    cum = np.cumsum(durations, dtype=float)
    total = cum[-1] if n and cum[-1] > 0 else float(n)
    if not (n and cum[-1] > 0):
        cum = np.arange(1.0, n + 1)
    cuts: list[int] = []
    for k in range(1, jobs):
        # Cut after the animation whose running total is nearest to k/jobs of the whole, keeping
        # at least one animation in every range.
        i = int(np.argmin(np.abs(cum - k * total / jobs))) + 1
        lo = (cuts[-1] if cuts else 0) + 1
        cuts.append(min(max(i, lo), n - (jobs - k)))
    bounds = [0, *cuts, n]
    return [(bounds[j], bounds[j + 1] - 1) for j in range(len(bounds) - 1)]


def join_videos(parts: list[Path], output: Path) -> None:
    """Concatenate MP4s with identical encoding by copying packets, index at the front."""
    import av

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.stem + ".partial" + output.suffix)
    manifest = "".join(f"file 'file:{part.resolve().as_posix()}'\n" for part in parts).encode()
    from io import BytesIO

    with av.open(BytesIO(manifest), format="concat", options={"safe": "0", "an": "1"}) as src:
        stream_in = src.streams.video[0]
        with av.open(str(tmp), mode="w", options={"movflags": "+faststart"}) as dst:
            stream_out = dst.add_stream_from_template(stream_in)
            for packet in src.demux(stream_in):
                if packet.dts is None:
                    continue
                packet.dts = None  # consecutive files restart their dts: let libav recompute
                packet.stream = stream_out
                dst.mux(packet)
    tmp.replace(output)  # never leave a half-written file where a good one was


def folder_config(scene_file: Path, extra_args: tuple[str, ...] = ()) -> list[str]:
    """``--config_file`` for the ``manim.cfg`` beside `scene_file`, unless one is given.

    Manim reads the folder-wide ``manim.cfg`` of the working directory only; a render started
    from the repository's root would miss ``scenes/manim.cfg`` (its encoder settings, no
    per-play cache). Passed as ``--config_file``, the command line's flags still override it.
    """
    cfg = scene_file.resolve().parent / "manim.cfg"
    if not cfg.is_file() or {"-c", "--config_file"} & set(extra_args):
        return []
    return ["--config_file", str(cfg)]


@dataclass(frozen=True)
class RenderResult:
    """What `render_parts` made and how long each stage took (wall seconds)."""

    output: Path
    ranges: tuple[tuple[int, int], ...]
    part_seconds: tuple[float, ...]
    join_seconds: float


def render_parallel(
    scene_file: str | Path,
    *,
    quality: str = "h",
    jobs: int = 2,
    media_dir: str | Path = "media",
    extra_args: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    plan: Plan | None = None,
    output: str | Path | None = None,
) -> Path:
    """Render `scene_file` in `jobs` processes and return the path of the joined MP4.

    `env` is the environment of the manim processes; `plan` saves the dry run when the caller
    made it already (in that environment); `output` replaces manim's own output path.
    """
    return render_parts(scene_file, quality=quality, jobs=jobs, media_dir=media_dir,
                        extra_args=extra_args, env=env, plan=plan, output=output).output


def render_parts(
    scene_file: str | Path,
    *,
    quality: str = "h",
    jobs: int = 2,
    media_dir: str | Path = "media",
    extra_args: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    plan: Plan | None = None,
    output: str | Path | None = None,
    manim_command: Callable[[int], list[str]] | None = None,
) -> RenderResult:
    """`render_parallel`, returning the timings too.

    `manim_command(k)` is the command that stands for ``python -m manim`` in part `k` (the
    benchmark runs manim inside its own timing wrapper).
    """
    scene_file = Path(scene_file)
    media_dir = Path(media_dir)
    if plan is None:
        plan_started = time.perf_counter()
        plan = cached_plan(scene_file, media_dir)
        print(f"planned {scene_file} in {time.perf_counter() - plan_started:.1f} s", flush=True)
    ranges = split_ranges(plan.costs(), jobs)
    print(f"{plan.scene_name}: {len(plan.durations)} animations, {plan.total:.1f} s, "
          f"{len(ranges)} processes: " + ", ".join(f"{first}-{last}" for first, last in ranges),
          flush=True)
    procs, parts = [], []
    started = time.perf_counter()
    for k, (first, last) in enumerate(ranges):
        part_dir = media_dir / "parallel" / f"{scene_file.stem}-{quality}-part{k}"
        name = f"{plan.scene_name}_part{k}"
        # The last range runs to the end, so a plan that missed animations cannot drop them.
        span = f"{first}" if k == len(ranges) - 1 else f"{first},{last}"
        manim = manim_command(k) if manim_command else [sys.executable, "-m", "manim"]
        cmd = [*manim, "render", *folder_config(scene_file, extra_args), f"-q{quality}", "-n", span,
               "--media_dir", str(part_dir), "-o", name, "--progress_bar", "none",
               "-v", "WARNING", *extra_args, str(scene_file), plan.scene_name]
        part_dir.parent.mkdir(parents=True, exist_ok=True)
        log = part_dir.with_suffix(".log").open("w")
        procs.append((k, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env),
                      log))
        parts.append(part_dir)
    failed = []
    seconds = [0.0] * len(ranges)
    pending = {k: (proc, log) for k, proc, log in procs}
    while pending:
        # Report each part when it ends (not in order), with its wall time.
        for k, (proc, log) in list(pending.items()):
            returncode = proc.poll()
            if returncode is None:
                continue
            del pending[k]
            log.close()
            seconds[k] = time.perf_counter() - started
            status = "done" if returncode == 0 else f"FAILED (exit {returncode}, see {log.name})"
            print(f"  part {k} ({ranges[k][0]}-{ranges[k][1]}): {status} after "
                  f"{seconds[k]:.1f} s", flush=True)
            if returncode:
                failed.append(k)
        if pending:
            time.sleep(0.05)
    if failed:
        raise RuntimeError(f"parts {failed} failed to render")
    # Found rather than built: ``-r``/``--fps`` in `extra_args` change manim's quality folder.
    parts = [max((part_dir / "videos").rglob(f"{plan.scene_name}_part{k}.mp4"),
                 key=lambda video: video.stat().st_mtime) for k, part_dir in enumerate(parts)]
    if output is None:
        output = (media_dir / "videos" / scene_file.stem / QUALITY_DIRS[quality]
                  / f"{plan.scene_name}.mp4")
    join_started = time.perf_counter()
    join_videos(parts, Path(output))
    return RenderResult(output=Path(output), ranges=tuple(ranges), part_seconds=tuple(seconds),
                        join_seconds=time.perf_counter() - join_started)


def up_to_date(scene_file: Path, quality: str, media_dir: Path) -> tuple[bool, Path, str]:
    """Whether the last render of `scene_file` at `quality` in `media_dir` still stands.

    Returns (up to date, the stamp file, the inputs' fingerprint): the stamp records the
    fingerprint (scene folder code and config, gdmath, ``GDVIZ_*``, versions, quality) and the
    output's size and modification time when it was written.
    """
    key = hashlib.sha256(f"{_plan_key(scene_file)} -q{quality}".encode()).hexdigest()
    stamp = media_dir / "parallel" / f"{scene_file.stem}-{quality}.done.json"
    try:
        data = json.loads(stamp.read_text())
        out = Path(data["output"])
        fresh = (data["key"] == key and out.is_file()
                 and [out.stat().st_size, out.stat().st_mtime_ns] == data["file"])
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    return fresh, stamp, key


def write_stamp(stamp: Path, key: str, output: Path) -> None:
    """Record that `output` was rendered from the inputs with fingerprint `key`."""
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"key": key, "output": str(output),
                                 "file": [output.stat().st_size, output.stat().st_mtime_ns]}))


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m gdviz.parallel SCENE_FILE [-q h] [--jobs N] [--force]``."""
    parser = argparse.ArgumentParser(prog="python -m gdviz.parallel",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("scene_file", type=Path)
    parser.add_argument("-q", "--quality", choices=list(QUALITY_DIRS), default="h")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--media-dir", type=Path, default=Path("media"))
    parser.add_argument("--force", action="store_true",
                        help="render even when nothing changed since the last render")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    fresh, stamp, key = up_to_date(args.scene_file, args.quality, args.media_dir)
    if fresh and not args.force:
        out = json.loads(stamp.read_text())["output"]
        print(f"{out} is up to date: nothing it depends on changed since it was rendered "
              "(--force renders it again)", flush=True)
        return 0
    out = render_parallel(args.scene_file, quality=args.quality, jobs=args.jobs,
                          media_dir=args.media_dir)
    write_stamp(stamp, key, out)
    print(f"wrote {out} in {time.perf_counter() - started:.1f} s wall time", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
