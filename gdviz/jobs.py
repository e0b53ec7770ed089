"""One publishing job: what to render and where it goes (`gdviz.pipeline` makes it).

A `Job` is one output: a clip (``kind="render"``, one format) or a set of stills
(``kind="stills"``, one PNG per key moment). `gdviz.pipeline.run_job` makes it:

1. check the problem (preset or TOML config) with gdmath, before anything renders;
2. write a manim config file with the aspect ratio's frame width and the theme's background;
3. plan the scene by a dry run in a subprocess (with the job's environment): the number of
   animations (for progress), the scene class, its key moments;
4. run manim in a subprocess with ``GDVIZ_PRESET``/``GDVIZ_CONFIG``/``GDVIZ_LANG``/
   ``GDVIZ_THEME`` set, into a work folder of its own (manim's cache then makes a rerun or a
   second format of the same variant cheap);
5. turn manim's file into the published one (`gdviz.formats`), write a poster still and a
   ``.json`` sidecar (the job, the command that makes it, a fingerprint of its inputs).

A job is up to date when its outputs exist and the sidecar's fingerprint equals the job's: the
job's settings, the scene's folder, gdmath's sources, the TOML config and `FORMAT_VERSION`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.kit.env import LANGUAGES, THEME_NAMES, job_environment, read_environment

__all__ = [
    "ASPECTS",
    "FORMATS",
    "FORMAT_VERSION",
    "KINDS",
    "QUALITIES",
    "Job",
    "JobError",
    "JobResult",
    "is_up_to_date",
    "scene_default_preset",
]

#: quality -> (pixels on the short side, frames per second), as manim's -q flags.
QUALITIES: dict[str, tuple[int, int]] = {
    "l": (480, 15), "m": (720, 30), "h": (1080, 60), "p": (1440, 60), "k": (2160, 60),
}
ASPECTS: dict[str, tuple[int, int]] = {"16:9": (16, 9), "1:1": (1, 1), "9:16": (9, 16)}
FORMATS = ("mp4", "gif", "webm", "png")
KINDS = ("render", "stills")
#: Bump when the encoding of outputs changes, so that batches re-render instead of skipping.
FORMAT_VERSION = 1
FRAME_HEIGHT = 8.0

Event = Callable[[str, Any], None]


class JobError(RuntimeError):
    """A job failed; the message says why in one line, `log` points at manim's output."""

    def __init__(self, message: str, log: Path | None = None):
        super().__init__(message)
        self.log = log


def _even(x: float) -> int:
    return max(2, 2 * round(x / 2))


@dataclass(frozen=True)
class Job:
    """One output of gdviz: a clip in one format, or the stills of one scene variant.

    Attributes
    ----------
    scene : Path
        The scene file (one Scene class), absolute.
    kind : str
        ``render`` (a clip or last-frame PNG) or ``stills`` (PNGs of the key moments).
    format : str
        ``mp4``, ``gif``, ``webm`` or ``png``; stills are always PNG.
    preset, config : str or None, Path or None
        The problem: a gdmath preset name or a TOML file (not both); neither = gdmath's default.
    quality : str
        ``l``, ``m``, ``h``, ``p`` or ``k``: pixels on the short side and frame rate.
    aspect : str
        ``16:9``, ``1:1`` or ``9:16``.
    theme : str
        ``dark`` or ``light``.
    lang : str or None
        ``en`` or ``ja``; None keeps the config's language.
    transparent : bool
        Alpha channel (WebM and PNG only).
    short_side, fps : int or None, float or None
        Override the quality's size and frame rate (tiny test renders).
    moments : tuple of str
        Stills: the key moments wanted (empty = all the scene names, or its last frame).
    title : str or None
        Shown in the gallery; defaults to a description of the variant.
    parallel : int
        Processes for one MP4/GIF render (`gdviz.parallel.render_parallel`); 1 = plain manim.
    """

    scene: Path
    kind: str = "render"
    format: str = "mp4"
    preset: str | None = None
    config: Path | None = None
    quality: str = "h"
    aspect: str = "16:9"
    theme: str = "dark"
    lang: str | None = None
    transparent: bool = False
    short_side: int | None = None
    fps: float | None = None
    moments: tuple[str, ...] = ()
    title: str | None = None
    parallel: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "scene", Path(self.scene).resolve())
        if self.config is not None:
            object.__setattr__(self, "config", Path(self.config).resolve())
        if self.kind == "stills":
            object.__setattr__(self, "format", "png")
        object.__setattr__(self, "moments", tuple(self.moments))
        self.validate()

    def validate(self) -> None:
        """Refuse settings no render could honour, naming the allowed values.

        Raises
        ------
        ValueError
        """
        for name, value, allowed in (("kind", self.kind, KINDS), ("format", self.format, FORMATS),
                                     ("quality", self.quality, tuple(QUALITIES)),
                                     ("aspect", self.aspect, tuple(ASPECTS)),
                                     ("theme", self.theme, THEME_NAMES)):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        if self.lang is not None and self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {self.lang!r}")
        if self.preset is not None and self.config is not None:
            raise ValueError("give a preset or a config file, not both")
        if self.transparent and self.format not in ("webm", "png"):
            raise ValueError(f"{self.format} has no alpha channel: a transparent render needs "
                             "--format webm (video) or png (still)")
        if self.short_side is not None and self.short_side < 16:
            raise ValueError(f"--short-side must be at least 16 pixels, got {self.short_side}")
        if self.fps is not None and not 0 < self.fps <= 120:
            raise ValueError(f"--fps must be in (0, 120], got {self.fps}")
        if self.parallel < 1:
            raise ValueError("--jobs (processes for one render) must be at least 1, "
                             f"got {self.parallel}")
        if self.parallel > 1 and self.format not in ("mp4", "gif"):
            raise ValueError("parallel rendering joins MP4 parts: it needs --format mp4 or gif")

    # ------------------------------------------------------------------ shape
    @property
    def pixel_size(self) -> tuple[int, int]:
        """(width, height) in pixels: the quality's short side, the other side by the aspect."""
        short = self.short_side or QUALITIES[self.quality][0]
        aspect_w, aspect_h = ASPECTS[self.aspect]
        if aspect_w >= aspect_h:
            return _even(short * aspect_w / aspect_h), _even(short)
        return _even(short), _even(short * aspect_h / aspect_w)

    @property
    def frame_rate(self) -> float:
        """Frames per second."""
        return float(self.fps or QUALITIES[self.quality][1])

    @property
    def frame_width(self) -> float:
        """Manim units across: the frame stays 8 high, as manim's own default frame."""
        width, height = self.pixel_size
        return FRAME_HEIGHT * width / height

    # ------------------------------------------------------------------ naming
    @property
    def problem(self) -> str:
        """Short name of the problem: the preset, the config file's stem, or the default."""
        if self.config is not None:
            return self.config.stem
        if self.preset is not None:
            return self.preset
        return scene_default_preset(self.scene)

    @functools.cached_property
    def language(self) -> str:
        """The language shown: `lang`, else the config's.

        ``auto`` when the config cannot be read, which fails the job anyway.
        """
        if self.lang:
            return self.lang
        try:
            return read_environment(self.environment()).language
        except (ValueError, OSError):
            return "auto"

    @property
    def size_tag(self) -> str:
        """``h`` for a stock quality, ``144p5`` when size or frame rate are overridden."""
        if self.short_side is None and self.fps is None:
            return self.quality
        return f"{min(self.pixel_size)}p{self.frame_rate:g}"

    @property
    def variant(self) -> str:
        """File-name stem shared by every format of this scene variant."""
        parts = [self.scene.stem, self.problem, self.aspect.replace(":", "x"), self.theme,
                 self.language, self.size_tag]
        if self.transparent:
            parts.append("alpha")
        return "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", part) for part in parts)

    def output_dir(self, out_dir: Path) -> Path:
        """Folder of this job's files: ``OUT/<scene stem>`` (stills in ``stills/`` below it)."""
        base = Path(out_dir) / self.scene.stem
        return base / "stills" if self.kind == "stills" else base

    def output_path(self, out_dir: Path) -> Path:
        """The clip (or PNG) of a render job."""
        return self.output_dir(out_dir) / f"{self.variant}.{self.format}"

    def sidecar_path(self, out_dir: Path) -> Path:
        """The JSON written next to the outputs."""
        suffix = "stills" if self.kind == "stills" else self.format
        return self.output_dir(out_dir) / f"{self.variant}.{suffix}.json"

    def work_dir(self, out_dir: Path) -> Path:
        """Manim's media folder for this variant; jobs sharing it must not run at once.

        It lives in the user's cache (``$XDG_CACHE_HOME/gdviz/work``, one folder per output
        folder), not beside the outputs: the output folder holds only what was asked for, and
        manim's partial movies and the plan survive for the next render of the same variant.
        """
        return work_root(out_dir) / self.variant

    @property
    def label(self) -> str:
        """A short line for progress displays."""
        if self.kind == "stills":
            return f"{self.variant} stills"
        return f"{self.variant}.{self.format}"

    # ------------------------------------------------------------------ command and env
    def command(self) -> str:
        """The ``gdviz`` command line that makes this output by itself."""
        try:
            scene = self.scene.relative_to(Path.cwd())
        except ValueError:
            scene = self.scene
        args = ["gdviz", self.kind, str(scene)]
        if self.preset:
            args += ["--preset", self.preset]
        if self.config:
            try:
                args += ["--config", str(self.config.relative_to(Path.cwd()))]
            except ValueError:
                args += ["--config", str(self.config)]
        args += ["--quality", self.quality]
        if self.kind == "render":
            args += ["--format", self.format]
        args += ["--aspect", self.aspect, "--theme", self.theme]
        if self.lang:
            args += ["--lang", self.lang]
        if self.transparent:
            args.append("--transparent")
        if self.short_side:
            args += ["--short-side", str(self.short_side)]
        if self.fps:
            args += ["--fps", f"{self.fps:g}"]
        for moment in self.moments:
            args += ["--moment", moment]
        return shlex.join(args)

    def environment(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The manim process's environment: `base` without inherited GDVIZ_* plus the job's.

        Inherited choices are dropped so that a shell's ``GDVIZ_PRESET`` cannot clash with the
        job's ``--config`` (gdmath refuses both at once).
        """
        env = job_environment(os.environ if base is None else base, preset=self.preset,
                              config=self.config, language=self.lang, theme=self.theme)
        # Manim logs through rich, which wraps at the terminal width: wide lines keep
        # "Animation N" on one line for the progress parser.
        env["COLUMNS"] = "250"
        return env

    def settings(self) -> dict[str, Any]:
        """The job as plain data (JSON), paths as strings."""
        data = dataclasses.asdict(self)
        data["scene"] = str(self.scene)
        data["config"] = str(self.config) if self.config else None
        data["moments"] = list(self.moments)
        return data

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Job:
        """Inverse of `settings` (a sidecar's ``job`` table back into a Job)."""
        fields = dict(settings)
        fields["moments"] = tuple(fields.get("moments") or ())
        return cls(**fields)

    def fingerprint(self) -> str:
        """Hash of everything the output depends on (see the module docstring).

        The title and the number of processes change no pixel and are left out.
        """
        import gdmath

        digest = hashlib.sha256()
        spec = {key: value for key, value in self.settings().items()
                if key not in ("title", "parallel")}
        digest.update(json.dumps({"spec": spec, "format_version": FORMAT_VERSION},
                                 sort_keys=True).encode())
        files = sorted(self.scene.parent.glob("*.py")) + sorted(self.scene.parent.glob("*.cfg"))
        files += sorted(Path(gdmath.__file__).parent.glob("*.py"))
        if self.config is not None:
            files.append(self.config)
        for path in files:
            digest.update(str(path.name).encode())
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        return digest.hexdigest()


@dataclass
class JobResult:
    """How a job ended: ``done``, ``skipped`` (up to date) or ``failed``."""

    job: Job
    status: str
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    log: Path | None = None


def work_root(out_dir: Path) -> Path:
    """The cache folder of the jobs that write into `out_dir`."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    tag = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]
    return cache / "gdviz" / "work" / tag


def read_sidecar(job: Job, out_dir: Path) -> dict[str, Any] | None:
    """The job's sidecar, or None if missing or unreadable."""
    try:
        return json.loads(job.sidecar_path(out_dir).read_text())
    except (OSError, ValueError):
        return None


def is_up_to_date(job: Job, out_dir: Path) -> bool:
    """Whether the job's outputs are there and were made from the same inputs."""
    meta = read_sidecar(job, out_dir)
    if not meta or meta.get("fingerprint") != job.fingerprint():
        return False
    base = job.sidecar_path(out_dir).parent
    outputs = [base / name for name in meta.get("outputs", [])]
    return bool(outputs) and all(path.is_file() for path in outputs)


def scene_default_preset(scene_file: Path) -> str:
    """The preset a scene file renders when none is chosen.

    A lecture scene names its own (``default_config = "bowl"``, a config mapping with a
    ``"preset"``, or a settings attribute such as ``LECTURE.flow.preset``; see
    `gdviz.scene_source`); the others use gdmath's default. Read from the source with `ast`, so
    naming a job does not import manim.
    """
    from gdmath import DEFAULT_PRESET
    from gdviz.scene_source import default_config_name

    return default_config_name(Path(scene_file)) or DEFAULT_PRESET
