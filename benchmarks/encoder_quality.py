"""Size, quality and speed of x264 settings on frames of the main video.

Renders a stretch of the rolling valley (the camera orbits: every pixel changes) and a stretch of
the contour map (still, with marks appearing) as lossless PNG frames at 1080p, then encodes them
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
import subprocess
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


def stretches(seconds: float) -> list[tuple[str, int, int]]:
    """(name, first, last animation index) of a roll stretch and a map stretch of the video."""
    from gdviz.parallel import plan_scene

    plan = plan_scene(ROOT / "scenes" / "descent.py")
    names = [b[0] for b in plan.beats]
    out = []
    for label, beat in (("roll", "roll"), ("map", "right_angle_0")):
        first = names.index(beat)
        last, total = first, 0.0
        while total < seconds and last < len(names):
            total += plan.durations[last]
            last += 1
        out.append((label, first, last - 1))
    return out


def render_pngs(quality: str, first: int, last: int, folder: Path) -> list[Path]:
    subprocess.run(
        [sys.executable, "-m", "manim", "render", f"-q{quality}", "--format", "png",
         "-n", f"{first},{last}", "--media_dir", str(folder), "--progress_bar", "none",
         "-v", "WARNING", str(ROOT / "scenes" / "descent.py")], check=True, cwd=ROOT)
    return sorted(folder.rglob("*.png"))


def load(paths: list[Path], limit: int) -> list[av.VideoFrame]:
    frames = []
    for path in paths[:limit]:
        with av.open(str(path)) as c:
            frame = next(c.decode(video=0))
        frames.append(frame.reformat(format="yuv420p"))
    return frames


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
    with tempfile.TemporaryDirectory() as tmp:
        for label, first, last in stretches(args.seconds):
            frames = load(render_pngs(args.quality, first, last, Path(tmp) / label), limit)
            if len(frames) < limit:
                # A table over a frame or two would say nothing of the encoder: refuse it.
                raise SystemExit(f"{label}: manim wrote {len(frames)} PNG frames of animations "
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
