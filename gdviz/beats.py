"""A scene's beats with their times in the video: what captions, slides and posters are cut by.

The interface the publishing features need from the scene kit is small: for a scene class,

* its plan, a list of ``(beat_name, kind, seconds)`` with kind ``"play"`` or ``"hold"``, one
  beat per manim animation, as the scene recorded them while `gdviz.plan` dry-ran it
  (`scenes.kit.planned.PlannedScene.played`);
* its sections, as ``(section_name, number_of_beats)`` in order: each step method that
  ``construct`` calls is one (`PlannedScene.section_of`);
* its key moments, ``{name: animation_index}`` (from the same dry run).

`timeline` turns that into `Beat` objects with frame-exact start and end times;
`timeline_from_plan` reads them from a render's own plan, and `scene_timeline` plans a
`gdviz.jobs.Job` in a process of its own when there is none (the scene reads ``GDVIZ_*`` and
manim's global config, as in `gdviz.plan`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Beat", "NoPlanError", "Timeline", "groups", "scene_timeline", "timeline",
           "timeline_from_plan", "write_frame"]


class NoPlanError(ValueError):
    """The scene plays no plan of named beats (a plain manim Scene)."""


@dataclass(frozen=True)
class Beat:
    """One beat of a scene as it is in the video.

    Attributes
    ----------
    name : str
        The plan's name of the beat (``right_angle_2``).
    kind : str
        ``play`` (an animation) or ``hold`` (a frozen wait).
    start, end : float
        Seconds from the start of the video (frame-exact: manim writes whole frames).
    section : str
        The section (or group of beats) it belongs to; groups are what a slide plays.
    """

    name: str
    kind: str
    start: float
    end: float
    section: str


@dataclass(frozen=True)
class Timeline:
    """The beats of one rendered clip and its key moments (animation indices)."""

    scene_name: str
    fps: float
    beats: tuple[Beat, ...]
    key_moments: Mapping[str, int] = field(default_factory=dict)

    @property
    def duration(self) -> float:
        """Seconds of video the beats fill."""
        return self.beats[-1].end if self.beats else 0.0

    def moment_time(self, name: str | None = None) -> float | None:
        """Time of the last frame of key moment `name` (the first one when None)."""
        if not self.key_moments:
            return None
        index = self.key_moments[name] if name else next(iter(self.key_moments.values()))
        index = index + len(self.beats) if index < 0 else index
        if not 0 <= index < len(self.beats):
            return None
        return max(0.0, self.beats[index].end - 1 / self.fps)


def _frames(kind: str, seconds: float, fps: float) -> int:
    # Manim's Cairo renderer: a play writes one frame per np.arange(0, t, 1/fps) entry, a frozen
    # wait int(t * fps) frames (the same count as scenes.kit.planned.Script.frames).
    if kind == "play":
        return len(np.arange(0, seconds, 1 / fps))
    return int(seconds / (1 / fps))


def _hold_groups(plan: Sequence[tuple[str, str, float]]) -> list[tuple[str, int]]:
    """Groups for a scene without sections: each ends with its holds, before the next play."""
    out: list[tuple[str, int]] = []
    for k, (name, kind, _) in enumerate(plan):
        starts = k == 0 or (kind == "play" and plan[k - 1][1] == "hold")
        if starts:
            out.append((name, 0))
        out[-1] = (out[-1][0], out[-1][1] + 1)
    return out


def timeline(plan: Sequence[tuple[str, str, float]], fps: float,
             sections: Sequence[tuple[str, int]] | None = None) -> list[Beat]:
    """The beats of `plan` with their times at `fps`, each labelled with its section.

    Parameters
    ----------
    plan : sequence of (name, kind, seconds)
        The scene's beats in order; kind is ``play`` or ``hold``.
    fps : float
        Frame rate of the video.
    sections : sequence of (name, count), optional
        Consecutive sections covering the plan; default: a group ends after each run of holds.
    """
    sections = list(sections) if sections else _hold_groups(plan)
    if sum(count for _, count in sections) != len(plan):
        covered = sum(count for _, count in sections)
        raise ValueError(f"sections cover {covered} beats, the plan has {len(plan)}")
    owner = [name for name, count in sections for _ in range(count)]
    beats, frame = [], 0
    for (name, kind, seconds), section in zip(plan, owner, strict=True):
        n_frames = _frames(kind, seconds, fps)
        beats.append(Beat(name, kind, frame / fps, (frame + n_frames) / fps, section))
        frame += n_frames
    return beats


def groups(beats: Sequence[Beat]) -> list[list[Beat]]:
    """Consecutive beats of the same section, in order."""
    out: list[list[Beat]] = []
    for beat in beats:
        if not out or out[-1][0].section != beat.section:
            out.append([])
        out[-1].append(beat)
    return out


# --------------------------------------------------------------------------- from a scene
def timeline_from_plan(planned: Mapping[str, Any], fps: float) -> Timeline:
    """The clip's `Timeline` from a plan as `gdviz.plan` writes it (a render's own dry run).

    The plan's durations are what manim played; the beat names, kinds and sections are what
    the scene recorded while it played them. Raises `NoPlanError` for a plain manim scene.
    """
    recorded = planned.get("beats") or []
    if not recorded:
        raise NoPlanError(f"{planned['scene_name']} plays no plan of named beats")
    plan = [(str(name), str(kind), float(duration))
            for (name, kind, _), duration in zip(recorded, planned["durations"], strict=True)]
    sections: list[tuple[str, int]] = []
    for _, _, section in recorded:
        if not sections or sections[-1][0] != section:
            sections.append((section, 0))
        sections[-1] = (sections[-1][0], sections[-1][1] + 1)
    named = any(name for name, _ in sections)
    beats = timeline(plan, fps, sections if named else None)
    return Timeline(planned["scene_name"], fps, tuple(beats),
                    {str(name): int(frame) for name, frame in planned["key_moments"]})


def scene_timeline(job: Any, planned: Mapping[str, Any] | None = None) -> Timeline:
    """The beats of `job`'s clip (a `gdviz.jobs.Job`).

    `planned` is the plan the render already made (``gdviz.plan``'s JSON); without it the
    scene is planned now, in a process of its own with the job's environment and frame.
    Raises RuntimeError with the planner's last lines when the scene cannot be planned.
    """
    if planned is not None:
        return timeline_from_plan(planned, job.frame_rate)
    from gdviz.jobs import FRAME_HEIGHT
    from scenes.kit.theme import THEMES as PALETTES

    width, height = job.pixel_size
    with tempfile.TemporaryDirectory(prefix="gdviz-beats-") as tmp:
        cfg = Path(tmp) / "manim.cfg"
        cfg.write_text(f"[CLI]\nframe_height = {FRAME_HEIGHT}\nframe_width = {job.frame_width!r}\n"
                       f"background_color = {PALETTES[job.theme].background}\n")
        out = Path(tmp) / "plan.json"
        run = subprocess.run([sys.executable, "-m", "gdviz.plan", str(job.scene), "--cfg",
                              str(cfg), "--size", f"{width},{height}", "--media-dir", tmp, "--json",
                              str(out)],
                             env=job.environment(), capture_output=True, text=True, cwd=tmp)
        if run.returncode != 0 or not out.is_file():
            tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-3:])
            raise RuntimeError(f"could not plan {job.scene.name}: {tail}")
        data = json.loads(out.read_text())
    return timeline_from_plan(data, job.frame_rate)


def write_frame(video: Path, dst: Path, seconds: float) -> Path:
    """Save the frame of `video` shown at `seconds` as an RGB PNG (decoding only up to it)."""
    import av

    image = None
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if image is not None and frame.time is not None and frame.time > seconds + 1e-6:
                break
            image = frame.to_image()
    if image is None:
        raise ValueError(f"{video} has no frames")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".partial")
    image.save(tmp, format="PNG")
    tmp.replace(dst)
    return dst


