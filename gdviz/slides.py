"""``gdviz slides SCENE``: the scene as a manim-slides deck, one slide per section, in HTML.

Each slide plays one section of the scene (for a scene without sections, one group of beats
ending with its holds, see `gdviz.beats.timeline`) and then waits for the presenter. The
presenter is manim-slides' reveal.js export; nothing here presents anything.

How, without editing the scene: `deck_class` builds at run time a subclass of the scene class
with ``manim_slides.Slide`` mixed in, which calls ``next_slide()`` before the first beat of every
section but the first: the scene kit calls ``on_beat(index, beat)`` before every beat
(`scenes.kit.planned.PlannedScene`), and the subclass overrides it.

reveal.js: manim-slides' page loads it from a CDN by default. To keep the deck one static folder
that works offline, `vendored_reveal` copies the files the page needs next to it, from a local
reveal.js package (``--reveal DIR``, ``$GDVIZ_REVEAL``, or a copy that ``npm pack`` fetched once
into ``~/.cache/gdviz``), and points the page at them.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["REVEAL_VERSION", "build_deck", "deck_class", "slide_breaks", "vendored_reveal"]

#: The reveal.js version manim-slides' template is written for (its ``reveal_version`` default).
REVEAL_VERSION = "6.0.1"
_REVEAL_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/plugin/notes.js",
                 "dist/plugin/markdown.js", "dist/plugin/highlight/zenburn.css")
DECK_SUFFIX = "Slides"


def slide_breaks(sections: Sequence[str]) -> list[int]:
    """Indices of the beats that open a new slide (every change of section but the first)."""
    return [k for k in range(1, len(sections)) if sections[k] != sections[k - 1]]


class _SlideBreaks:
    """Mixin (before the scene class): a new slide before each beat listed in `slide_breaks`."""

    slide_breaks: tuple[int, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # manim_slides.Slide.__init__ (5.7) sets config["write_to_movie"], a key manim 0.22 no
        # longer has (its Cairo renderer writes the movie anyway): skip to BaseSlide's.
        from manim_slides.slide.base import BaseSlide

        BaseSlide.__init__(self, *args, **kwargs)  # type: ignore[arg-type]

    @property
    def _background_color(self) -> str:
        # The theme sets the camera's background as a hex string, which Slide expects to be a
        # ManimColor.
        from manim import ManimColor

        return ManimColor(self.renderer.camera.background_color).to_hex()  # type: ignore

    def render(self, *args: Any, **kwargs: Any) -> None:
        """Slide.render for manim 0.22: "no cache limit" is -1 now (5.7 sets float("inf"))."""
        from manim import Scene, config
        from manim_slides import Slide

        limit = config["max_files_cached"]
        # The slides are cut from the partial movie files: none may be evicted.
        config["max_files_cached"] = -1
        try:
            super(Slide, self).render(*args, **kwargs)  # type: ignore[misc]
        finally:
            config["max_files_cached"] = limit
        assert isinstance(self, Scene)
        # The HTML export plays forwards only: no reversed copies to make.
        self._save_slides(use_cache=not config["disable_caching"],  # type: ignore[attr-defined]
                          skip_reversing=True)

    def on_beat(self, index: int, beat: Any) -> None:
        """Open a new slide before the beats listed in `slide_breaks` (the kit's hook)."""
        if index in self.slide_breaks:
            self.next_slide()  # type: ignore[attr-defined]
        super().on_beat(index, beat)  # type: ignore[misc]


def _scene_class(scene_file: Path) -> type:
    """The one Scene subclass defined in `scene_file` (imported under its stem)."""
    from manim import Scene

    scene_file = Path(scene_file).resolve()
    module = sys.modules.get(scene_file.stem)
    if module is None or Path(getattr(module, "__file__", "")).resolve() != scene_file:
        spec = importlib.util.spec_from_file_location(scene_file.stem, scene_file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[scene_file.stem] = module
        spec.loader.exec_module(module)
    found = [member for member in vars(module).values()
             if inspect.isclass(member) and issubclass(member, Scene)
             and member.__module__ == module.__name__]
    if len(found) != 1:
        raise ValueError(f"{scene_file.name} defines {len(found)} scenes, not one")
    return found[0]


def deck_class(scene_file: Path, breaks: Sequence[int], module: str | None = None) -> type:
    """The scene of `scene_file` as a manim-slides ``Slide``, breaking before `breaks`.

    `module` is the ``__module__`` to give the class: manim renders only the scenes whose
    module is the file it was given.
    """
    from manim_slides import Slide

    scene = _scene_class(scene_file)
    if not hasattr(scene, "on_beat"):
        raise ValueError(f"{scene.__name__} plays no plan of beats: cannot cut it into slides")
    return type(scene.__name__ + DECK_SUFFIX, (_SlideBreaks, Slide, scene),
                {"slide_breaks": tuple(breaks), "__module__": module or scene.__module__,
                 "__doc__": scene.__doc__})


_DRIVER = """\
# Written by gdviz.slides for one run: the scene as a manim-slides deck.
from pathlib import Path
from gdviz.slides import deck_class
{name} = deck_class(Path({scene!r}), {breaks!r}, module=__name__)
"""


def _fetch_reveal(cache: Path) -> Path | None:
    """reveal.js from the npm registry (``npm pack``) into `cache`; None without npm."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        run = subprocess.run([npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--silent"], cwd=tmp,
                             capture_output=True, text=True, timeout=300)
        tgz = next(Path(tmp).glob("reveal.js-*.tgz"), None)
        if run.returncode != 0 or tgz is None:
            return None
        shutil.unpack_archive(tgz, tmp)
        target = cache / f"reveal.js-{REVEAL_VERSION}"
        shutil.rmtree(target, ignore_errors=True)
        os.replace(Path(tmp) / "package", target)
    return target


def find_reveal(explicit: Path | None = None) -> Path | None:
    """A local reveal.js package folder (with ``dist/``): `explicit`, $GDVIZ_REVEAL, the cache."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gdviz"
    for candidate in (explicit, os.environ.get("GDVIZ_REVEAL"),
                      cache / f"reveal.js-{REVEAL_VERSION}"):
        if candidate and all((Path(candidate) / name).is_file() for name in _REVEAL_FILES):
            return Path(candidate)
    if explicit:
        raise ValueError(f"{explicit} is not a reveal.js package folder (no dist/reveal.js)")
    return _fetch_reveal(cache)


def vendored_reveal(reveal: Path, assets: Path, theme: str) -> None:
    """Copy the reveal.js files the page loads (and `theme`'s CSS) under `assets`."""
    for rel in (*_REVEAL_FILES, f"dist/theme/{theme}.css"):
        dst = assets / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reveal / rel, dst)


def _run(cmd: list[str], env: dict[str, str], cwd: Path, what: str) -> None:
    run = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-6:])
        raise RuntimeError(f"{what} failed:\n{tail}")


def build_deck(job: Any, out_dir: Path, reveal: Path | None = None,
               log: Any = None) -> tuple[Path, int]:
    """Render `job`'s scene as slides and export ``OUT/<variant>-slides.html``.

    Returns the page and its number of slides. `job` is a `gdviz.jobs.Job` (its problem,
    language, theme, size and frame rate are used). `reveal` is a reveal.js package folder.
    """
    from gdviz.beats import groups, scene_timeline
    from gdviz.jobs import FRAME_HEIGHT
    from scenes.kit.theme import THEMES as PALETTES

    say = log or (lambda message: None)
    timeline = scene_timeline(job)
    sections = [beat.section for beat in timeline.beats]
    n_slides = len(groups(timeline.beats))
    deck = timeline.scene_name + DECK_SUFFIX
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"{job.variant}-slides.html"
    assets_name = f"{page.stem}_assets"
    reveal_dir = find_reveal(reveal)
    theme = "black" if job.theme == "dark" else "white"
    width, height = job.pixel_size
    env = job.environment()
    with tempfile.TemporaryDirectory(prefix="gdviz-slides-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "deck.py").write_text(_DRIVER.format(
            name=deck, scene=str(job.scene), breaks=slide_breaks(sections)))
        (tmp / "manim.cfg").write_text(
            f"[CLI]\nframe_height = {FRAME_HEIGHT}\nframe_width = {job.frame_width!r}\n"
            f"background_color = {PALETTES[job.theme].background}\n")
        say(f"rendering {n_slides} slides of {timeline.scene_name} ({timeline.duration:.1f} s)")
        _run([sys.executable, "-m", "manim", "render", "-c", "manim.cfg", "-r", f"{width},{height}",
              "--fps", f"{job.frame_rate:g}", "--media_dir", "media", "--progress_bar", "none",
              "--video-codec", "libx264", "--pixel-format", "yuv420p", "deck.py", deck],
             env, tmp, "manim")
        options = ["-c", f"reveal_theme={theme}", "-c", "controls=true", "-c", "progress=true",
                   "-c", "slide_number=true", "-c", "hash=true"]
        if reveal_dir is not None:
            options += ["-c", f"cdn_url={assets_name}/reveal.js"]
        else:
            say(f"no local reveal.js (npm pack reveal.js@{REVEAL_VERSION}; --reveal DIR): the "
                "deck loads it from the CDN")
        staged = tmp / "deck" / page.name
        _run([sys.executable, "-m", "manim_slides", "convert", "--to", "html", "--folder",
              "slides", *options, deck, str(staged)], env, tmp, "manim-slides convert")
        if reveal_dir is not None:
            vendored_reveal(reveal_dir, staged.parent / assets_name / "reveal.js", theme)
        # The folder replaces the old deck whole: no stale videos of an earlier cut stay.
        shutil.rmtree(out_dir / assets_name, ignore_errors=True)
        shutil.copytree(staged.parent / assets_name, out_dir / assets_name)
        shutil.move(staged, page)
    return page, n_slides
