"""Size, quality and speed of x264 settings on frames of the main video.

Draws a stretch of the rolling valley (the camera orbits: every pixel changes) and a stretch of
the contour map (still, with marks appearing) at 1080p, taking manim's frames from its renderer
before any encoder (lossless), then encodes them
with each x264 preset, tune and CRF, as manim does (H.264, yuv420p), and prints per setting

* CPU milliseconds per frame (one encoder thread, so the figures compare on a shared machine);
* kilobytes per second of video at 60 fps;
* PSNR of the luma against the lossless frames (mean and worst frame, dB), the loss the encoder
  adds on top of the yuv420p conversion that every setting shares.

Usage::

    .venv/bin/python benchmarks/encoder_quality.py                  # 1080p, 2 × 2 s
    .venv/bin/python benchmarks/encoder_quality.py --quality l --seconds 1
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRESETS = ("medium", "faster", "veryfast", "ultrafast")
TUNES = ("", "animation")
CRFS = ("18", "23")
FPS = {"l": 15, "m": 30, "h": 60}
SIZES = {"l": (854, 480), "m": (1280, 720), "h": (1920, 1080)}


def stretches(seconds: float) -> list[tuple[str, int, int]]:
    """(name, first, last animation index) of a roll stretch and a map stretch of the video."""
    from gdviz.parallel import plan_scene

    plan = plan_scene(ROOT / "scenes" / "descent.py")
    names = [b[0] for b in plan.beats]
    out = []
    for label, beat in (("roll", "roll"), ("map", "right_angle_0")):
        # The middle of the roll: the camera orbits over the discs the descent has seen.
        first = names.index(beat) + names.count(beat) // 2
        last, total = first, 0.0
        while total < seconds and last < len(names):
            total += plan.durations[last]
            last += 1
        out.append((label, first, last - 1))
    return out


def render_frames(quality: str, first: int, last: int, limit: int) -> list[av.VideoFrame]:
    """The first `limit` frames of animations `first`..`last`, as manim draws them.

    They are taken from the renderer before any encoder (lossless RGB) and converted to yuv420p
    as manim's writer does. A dry run still draws every frame; it only writes no file.
    """
    from manim import tempconfig

    from scenes.descent import GradientDescent

    frames: list[av.VideoFrame] = []

    def capture(frame: np.ndarray, num_frames: int = 1) -> None:
        # manim calls add_frame while it skips the animations before `first` too, and its own
        # add_frame drops those frames: so does this one.
        if not scene.renderer.skip_animations and len(frames) < limit:
            rgb = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame[..., :3]), format="rgb24")
            frames.extend([rgb.reformat(format="yuv420p")] * num_frames)

    width, height = SIZES[quality]
    with tempconfig({"pixel_width": width, "pixel_height": height, "frame_rate": FPS[quality],
                     "from_animation_number": first, "upto_animation_number": last,
                     "dry_run": True, "disable_caching": True, "progress_bar": "none",
                     "verbosity": "WARNING"}):
        scene = GradientDescent()
        scene.renderer.add_frame = capture
        scene.render()
    return frames[:limit]


def encode(frames: list[av.VideoFrame], fps: int, options: dict[str, str]) -> tuple[float, int,
                                                                                   list[float]]:
    """CPU seconds, bytes, and the luma PSNR of each frame."""
    w, h = frames[0].width, frames[0].height
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.mp4"
        with av.open(str(path), "w") as out:
            stream = out.add_stream("libx264", rate=fps, options={**options, "threads": "1"})
            stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
            t0 = time.process_time()
            for k, frame in enumerate(frames):
                f = av.VideoFrame.from_ndarray(frame.to_ndarray(), format="yuv420p")
                f.pts, f.time_base = k, Fraction(1, fps)
                for packet in stream.encode(f):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
            cpu = time.process_time() - t0
        size = path.stat().st_size
        psnr = []
        with av.open(str(path)) as c:
            for src, dec in zip(frames, c.decode(video=0), strict=True):
                a = src.to_ndarray()[:h].astype(float)  # the Y plane of the planar array
                b = dec.reformat(format="yuv420p").to_ndarray()[:h].astype(float)
                mse = float(np.mean((a - b) ** 2))
                psnr.append(99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse))
    return cpu, size, psnr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quality", choices=list(FPS), default="h")
    ap.add_argument("--seconds", type=float, default=2.0, help="of each stretch")
    args = ap.parse_args(argv)
    fps = FPS[args.quality]
    limit = int(args.seconds * fps)
    rows: dict[tuple[str, str, str], list[tuple[float, int, list[float], int]]] = {}
    for label, first, last in stretches(args.seconds):
        frames = render_frames(args.quality, first, last, limit)
        if len(frames) < limit:
            # A table over a frame or two would say nothing of the encoder: refuse it.
            raise SystemExit(f"{label}: manim drew {len(frames)} frames of animations "
                             f"{first}-{last}, {limit} are needed")
        print(f"{label}: {len(frames)} frames of animations {first}-{last}", flush=True)
        for preset, tune, crf in itertools.product(PRESETS, TUNES, CRFS):
            options = {"preset": preset, "crf": crf, **({"tune": tune} if tune else {})}
            cpu, size, psnr = encode(frames, fps, options)
            rows.setdefault((preset, tune, crf), []).append((cpu, size, psnr, len(frames)))
    print(f"\n{'preset':<10} {'tune':<10} {'crf':>3}  {'ms/frame':>8}  {'kB/s':>7}  "
          f"{'PSNR mean':>9}  {'worst':>6}   (roll and map together)")
    for (preset, tune, crf), parts in rows.items():
        frames = sum(p[3] for p in parts)
        cpu = sum(p[0] for p in parts)
        size = sum(p[1] for p in parts)
        psnr = [v for p in parts for v in p[2]]
        print(f"{preset:<10} {tune or '-':<10} {crf:>3}  {1e3 * cpu / frames:8.1f}  "
              f"{size / 1e3 / (frames / fps):7.0f}  {np.mean(psnr):9.2f}  {min(psnr):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
