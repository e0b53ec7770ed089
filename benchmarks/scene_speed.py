"""Seconds per frame of each animation of a real scene, as rendered (drawn and encoded).

Renders a range of a scene file's animations in this process, like ``manim -n FROM,TO``, into
a temporary media folder with caching off, and prints for every rendered animation its frames,
wall seconds, CPU seconds (all threads, so the encoder thread counts) and both per frame.

Usage::

    .venv/bin/python benchmarks/scene_speed.py scenes/descent.py 10 10       # the roll
    .venv/bin/python benchmarks/scene_speed.py scenes/descent.py 12 14 --fps 30
    .venv/bin/python benchmarks/scene_speed.py scenes/descent.py --profile /tmp/roll.prof 10 10

Use ``gdviz.parallel.plan_scene`` to see which index is which animation. Frame costs hardly
depend on the frame rate, so ``--fps 15`` measures a 60 fps section in a quarter of the time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUALITY = {"l": (854, 480, 15), "m": (1280, 720, 30), "h": (1920, 1080, 60)}


def measure(scene_file: Path, first: int, last: int, quality: str, fps: int | None,
            profile: Path | None = None, movie: bool = True) -> list[dict[str, float]]:
    """Render animations `first`..`last` of `scene_file`; one timing row per rendered one."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    from gdviz.parallel import _scene_class

    width, height, default_fps = QUALITY[quality]
    root = Path(__file__).resolve().parents[1]
    rows: list[dict[str, float]] = []
    original_play = CairoRenderer.play

    def timed_play(self, scene, *args, **kwargs):
        index = self.num_plays
        writer = self.file_writer
        frames = {"n": 0}
        write = writer.write_frame

        def counting_write(frame, repeat=1):
            frames["n"] += repeat
            return write(frame, repeat=repeat)

        writer.write_frame = counting_write
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            original_play(self, scene, *args, **kwargs)
        finally:
            writer.write_frame = write
        if frames["n"]:
            rows.append({"index": index, "frames": frames["n"],
                         "wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
                         "seconds": float(scene.duration)})

    with tempfile.TemporaryDirectory() as media, tempconfig({
        "pixel_width": width, "pixel_height": height, "frame_rate": fps or default_fps,
        "media_dir": media, "disable_caching": True, "progress_bar": "none",
        "verbosity": "WARNING", "from_animation_number": first,
        "upto_animation_number": last, "write_to_movie": movie,
    }):
        # The TeX and text caches a real render finds (make clean keeps them): without them
        # every new glyph of a live number would be timed as a LaTeX run.
        for name in ("Tex", "texts"):
            if (root / "media" / name).is_dir():
                shutil.copytree(root / "media" / name, Path(media) / name)
        scene_cls = _scene_class(scene_file.resolve())
        CairoRenderer.play = timed_play
        try:
            scene = scene_cls()
            if profile is not None:
                import cProfile

                cProfile.runctx("scene.render()", globals(), {"scene": scene},
                                filename=str(profile))
            else:
                scene.render()
        finally:
            CairoRenderer.play = original_play
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scene_file", type=Path)
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("-q", "--quality", choices=list(QUALITY), default="h")
    ap.add_argument("--fps", type=int, default=None, help="frame rate (default: the quality's)")
    ap.add_argument("--profile", type=Path, default=None, help="write a cProfile file here")
    ap.add_argument("--no-movie", action="store_true",
                    help="draw the frames but do not encode them (the encoder's share)")
    args = ap.parse_args(argv)
    rows = measure(args.scene_file, args.first, args.last, args.quality, args.fps, args.profile,
                   movie=not args.no_movie)
    print(f"{'anim':>4} {'sec':>6} {'frames':>6} {'wall s':>7} {'cpu s':>7} "
          f"{'wall/frame':>10} {'cpu/frame':>9}")
    for r in rows:
        print(f"{r['index']:>4} {r['seconds']:>6.2f} {r['frames']:>6} {r['wall']:>7.2f} "
              f"{r['cpu']:>7.2f} {r['wall'] / r['frames']:>10.4f} {r['cpu'] / r['frames']:>9.4f}")
    frames = sum(r["frames"] for r in rows)
    wall = sum(r["wall"] for r in rows)
    cpu = sum(r["cpu"] for r in rows)
    if frames:
        print(f" all {sum(r['seconds'] for r in rows):>6.2f} {frames:>6} {wall:>7.2f} {cpu:>7.2f} "
              f"{wall / frames:>10.4f} {cpu / frames:>9.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
