"""Where the main video's render time goes, against the one cost no renderer avoids: encoding.

It renders a scene cold (a temporary media folder; only the TeX and text caches are copied in,
as ``make clean`` keeps them) and prints

* planning seconds (the dry run, or reading the cached plan);
* each part's wall seconds and frames (balance between the processes);
* seconds per frame by section (the step of ``construct`` that played it), split into drawing
  (the camera filling the frame), Python overhead (everything else in the frame loop: updaters,
  interpolation, skipped animations before the part's range, start-up) and encoding;
* join seconds, total wall time, peak memory (largest process);
* the floor, measured in the same run: the same frames (decoded from the result) encoded again
  with the same encoder settings, on one encoder thread, by manim's own segment encoder in a
  process of its own; its CPU seconds divided by the processes of the render, plus the seconds
  ``import manim`` takes;
* total / floor, for the 1080p video and for the 480p preview (plain ``manim -ql``);
* a re-run with nothing changed (manim's per-animation cache and the cached plan).

Usage::

    .venv/bin/python benchmarks/video_time.py                   # 1080p (2 processes) and -ql
    .venv/bin/python benchmarks/video_time.py --quality l       # the preview only
    .venv/bin/python benchmarks/video_time.py --json out.json   # also write the figures

Timings on a shared machine drift between runs: compare the ratios, which are measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Caches a fresh clone builds once and ``make clean`` keeps: copied into the cold media folder.
KEPT_CACHES = ("Tex", "texts")


# ------------------------------------------------------------------ inside a manim process
def run_instrumented_manim(profile_path: Path, manim_args: list[str]) -> int:
    """Run manim's command line with each play's drawing and frame-queue time recorded.

    Writes `profile_path` (JSON) at exit: per play its index, wall seconds, frames written,
    seconds drawing (``update_frame`` and the frame copy) and seconds handing frames to the
    encoder thread (blocking when the encoder is behind), plus the process's start-up seconds and
    CPU seconds, and the resolved encoder settings.
    """
    started = time.perf_counter()
    import atexit

    from manim.renderer.cairo_renderer import CairoRenderer

    plays: list[dict] = []
    record: dict = {"plays": plays, "encoder": None, "startup": None}
    current: dict = {}
    original_play = CairoRenderer.play
    original_update = CairoRenderer.update_frame
    original_get = CairoRenderer.get_frame
    original_add = CairoRenderer.add_frame

    def play(self, scene, *args, **kwargs):
        if record["startup"] is None:
            record["startup"] = time.perf_counter() - started
            spec = getattr(getattr(scene, "session_spec", None), "video_encoder", None)
            if spec is not None:
                record["encoder"] = {
                    "container_format": spec.container_format, "codec": spec.codec,
                    "pixel_format": spec.pixel_format, "width": spec.width,
                    "height": spec.height, "frame_rate": [spec.frame_rate.numerator,
                                                          spec.frame_rate.denominator],
                    "options": [list(kv) for kv in spec.options]}
        current.clear()
        current.update(index=self.num_plays, draw=0.0, queue=0.0, frames=0, draw_cpu=0.0)
        t0, c0 = time.perf_counter(), time.thread_time()
        original_play(self, scene, *args, **kwargs)
        current["wall"] = time.perf_counter() - t0
        current["cpu"] = time.thread_time() - c0
        current["skipped"] = bool(self.skip_animations)
        plays.append(dict(current))

    def timed(key, fn):
        def wrapper(self, *args, **kwargs):
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(self, *args, **kwargs)
            finally:
                if current:
                    current[key] += time.perf_counter() - t0
                    if key == "draw":
                        current["draw_cpu"] += time.thread_time() - c0
        return wrapper

    def add_frame(self, frame, num_frames=1):
        if current and not self.skip_animations:
            current["frames"] += num_frames
        return timed("queue", original_add)(self, frame, num_frames)

    CairoRenderer.play = play
    CairoRenderer.update_frame = timed("draw", original_update)
    CairoRenderer.get_frame = timed("draw", original_get)
    CairoRenderer.add_frame = add_frame

    def write() -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        record["cpu"] = usage.ru_utime + usage.ru_stime
        record["wall"] = time.perf_counter() - started
        profile_path.write_text(json.dumps(record))

    atexit.register(write)
    from manim.__main__ import main

    sys.argv = ["manim", *manim_args]
    try:
        main()
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


# ------------------------------------------------------------------ the encoding floor
def run_encoder(spec_json: str, boundaries_json: str) -> int:
    """Encode raw RGBA frames from stdin with manim's segment encoder; print CPU seconds.

    `boundaries_json` lists frame counts after which the CPU time so far is recorded (the end
    of each section), so the encoding cost can be given per section.
    """
    from fractions import Fraction

    import numpy as np
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    raw = json.loads(spec_json)
    raw["frame_rate"] = Fraction(*raw["frame_rate"])
    # One encoder thread: x264's frame threads make a process's CPU seconds swing by a quarter
    # from run to run on a shared 2-core machine; one thread costs the least CPU and repeats.
    raw["options"] = tuple(sorted({**dict(map(tuple, raw["options"])), "threads": "1"}.items()))
    spec = VideoEncoderSpec(**raw)
    boundaries = sorted(set(json.loads(boundaries_json)))
    size = spec.width * spec.height * 4
    marks: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        encoder = VideoSegmentEncoder(target=Path(tmp) / f"floor.{spec.container_format}",
                                      spec=spec)
        cpu0 = time.process_time()
        frames = 0
        stdin = sys.stdin.buffer
        while True:
            data = stdin.read(size)
            if len(data) < size:
                break
            encoder.write_frame(np.frombuffer(data, np.uint8).reshape(spec.height, spec.width, 4)
                                .copy(), repeat=1)
            frames += 1
            while boundaries and frames >= boundaries[0]:
                boundaries.pop(0)
                marks.append(time.process_time() - cpu0)
        encoder.finish()
        total = time.process_time() - cpu0
        file_size = (Path(tmp) / f"floor.{spec.container_format}").stat().st_size
    print(json.dumps({"cpu": total, "frames": frames, "marks": marks, "bytes": file_size}))
    return 0


def encode_floor(video: Path, encoder: dict, boundaries: list[int]) -> dict:
    """CPU seconds manim's encoder spends on the frames of `video`, in a process of its own."""
    import av

    proc = subprocess.Popen(
        [sys.executable, __file__, "--encode", json.dumps(encoder), json.dumps(boundaries)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            proc.stdin.write(frame.to_ndarray(format="rgba").tobytes())
    proc.stdin.close()
    out = json.loads(proc.stdout.read())
    proc.wait()
    return out


def import_seconds() -> float:
    """Seconds ``import manim`` takes in a fresh interpreter.

    It is the part of the floor that is not encoding: every render process pays it.
    """
    code = "import time; t = time.perf_counter(); import manim; print(time.perf_counter() - t)"
    best = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(2))
    return best


# ------------------------------------------------------------------ one measured render
def cold_media(source: Path) -> Path:
    media = Path(tempfile.mkdtemp(prefix="gdviz-bench-"))
    for name in KEPT_CACHES:
        if (source / name).is_dir():
            shutil.copytree(source / name, media / name)
    return media


def render(scene: Path, quality: str, jobs: int, media: Path, profiles: Path) -> dict:
    """Render once; return wall seconds of planning, parts and join, and the output path."""
    from gdviz.parallel import cached_plan, render_parts, up_to_date, write_stamp

    profiles.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if jobs == 1:
        profile = profiles / "part0.json"
        cmd = [sys.executable, __file__, "--as-manim", str(profile), "--", "render",
               f"-q{quality}", "--media_dir", str(media), "--progress_bar", "none",
               "-v", "WARNING", str(scene)]
        subprocess.run(cmd, check=True)
        wall = time.perf_counter() - t0
        output = max((media / "videos").rglob("*.mp4"), key=lambda p: p.stat().st_mtime)
        return {"planning": 0.0, "parts": [{"range": "all", "seconds": wall,
                                            "profile": str(profile)}],
                "join": 0.0, "wall": wall, "output": str(output), "plan": None}
    _, stamp, key = up_to_date(scene, quality, media)
    plan = cached_plan(scene, media)
    planning = time.perf_counter() - t0
    result = render_parts(
        scene, quality=quality, jobs=jobs, media_dir=media, plan=plan,
        manim_command=lambda k: [sys.executable, __file__, "--as-manim",
                                 str(profiles / f"part{k}.json"), "--"])
    write_stamp(stamp, key, result.output)
    wall = time.perf_counter() - t0
    return {"planning": planning,
            "parts": [{"range": f"{a}-{b}", "seconds": s,
                       "profile": str(profiles / f"part{k}.json")}
                      for k, ((a, b), s) in enumerate(zip(result.ranges, result.part_seconds,
                                                          strict=True))],
            "join": result.join_seconds, "wall": wall, "output": str(result.output),
            "plan": [list(b) for b in plan.beats]}


def sections_of(scene: Path, measured: dict) -> list[str]:
    """Each play's section (from the plan's beats, or a dry run for the single-process case)."""
    if measured["plan"]:
        return [b[2] for b in measured["plan"]]
    from gdviz.parallel import plan_scene

    return [b[2] for b in plan_scene(scene).beats]


def analyse(scene: Path, measured: dict, jobs: int, import_s: float) -> dict:
    profiles = [json.loads(Path(p["profile"]).read_text()) for p in measured["parts"]]
    sections = sections_of(scene, measured)
    plays = sorted((p for prof in profiles for p in prof["plays"] if not p["skipped"]),
                   key=lambda p: p["index"])
    per = defaultdict(lambda: {"frames": 0, "draw": 0.0, "queue": 0.0, "wall": 0.0,
                               "draw_cpu": 0.0, "cpu": 0.0})
    spans: list[tuple[str, int]] = []  # consecutive plays of one section, frames at its end
    frames = 0
    for play in plays:
        name = sections[play["index"]] if play["index"] < len(sections) else "?"
        for key in ("frames", "draw", "queue", "wall", "draw_cpu", "cpu"):
            per[name][key] += play[key]
        frames += play["frames"]
        if spans and spans[-1][0] == name:
            spans[-1] = (name, frames)
        else:
            spans.append((name, frames))
    # Everything a part spends outside its own plays: start-up, the animations it skips.
    outside = sum(prof["wall"] - sum(p["wall"] for p in prof["plays"] if not p["skipped"])
                  for prof in profiles)
    floor = encode_floor(Path(measured["output"]), profiles[0]["encoder"],
                         [end for _, end in spans])
    marks = [0.0, *floor["marks"]]
    encode: dict[str, float] = defaultdict(float)
    for k, (name, _) in enumerate(spans[:len(marks) - 1]):
        encode[name] += marks[k + 1] - marks[k]
    floor_s = import_s + floor["cpu"] / jobs
    return {"sections": [{"section": name, **row, "encode": encode[name]}
                         for name, row in per.items()],
            "outside": outside, "frames": frames, "encode_cpu": floor["cpu"],
            "floor": floor_s, "import": import_s, "bytes": Path(measured["output"]).stat().st_size,
            "encoder": profiles[0]["encoder"],
            "part_frames": [sum(p["frames"] for p in prof["plays"]) for prof in profiles],
            "startup": [prof["startup"] for prof in profiles]}


def report(label: str, measured: dict, analysis: dict, jobs: int, rerun: float | None) -> None:
    print(f"\n== {label}: {analysis['frames']} frames, {jobs} process(es) ==")
    print(f"planning            {measured['planning']:8.1f} s")
    for part, frames, startup in zip(measured["parts"], analysis["part_frames"],
                                     analysis["startup"], strict=True):
        print(f"part {part['range']:>10}     {part['seconds']:8.1f} s  {frames:6d} frames  "
              f"(start-up {startup or 0:.1f} s)")
    if len(measured["parts"]) > 1:
        secs = [p["seconds"] for p in measured["parts"]]
        print(f"balance             {max(secs) / min(secs) - 1:8.1%} (slowest over fastest - 1)")
    print(f"join                {measured['join']:8.2f} s")
    print(f"wall                {measured['wall']:8.1f} s")
    print("\nms per frame by section            wall time          main thread CPU   encode")
    print("  section                     frames   draw overhead    draw overhead      CPU")
    for row in analysis["sections"]:
        n = max(row["frames"], 1)
        print(f"  {row['section'][:26]:<26} {row['frames']:7d} {1e3 * row['draw'] / n:6.1f} "
              f"{1e3 * (row['wall'] - row['draw']) / n:8.1f} {1e3 * row['draw_cpu'] / n:7.1f} "
              f"{1e3 * (row['cpu'] - row['draw_cpu']) / n:8.1f} {1e3 * row['encode'] / n:8.1f}")
    rows = analysis["sections"]
    total = {k: sum(r[k] for r in rows) for k in ("frames", "draw_cpu", "cpu", "encode")}
    print(f"  {'all':<26} {total['frames']:7d} {'':6} {'':8} "
          f"{1e3 * total['draw_cpu'] / total['frames']:7.1f} "
          f"{1e3 * (total['cpu'] - total['draw_cpu']) / total['frames']:8.1f} "
          f"{1e3 * total['encode'] / total['frames']:8.1f}")
    print(f"  outside the plays (start-up, skipped animations): {analysis['outside']:.1f} s "
          "over all parts")
    spec = analysis["encoder"] or {}
    options = " ".join(f"{key}={value}" for key, value in spec.get("options", []))
    print(f"\nencoder             {spec.get('codec', '?')} {spec.get('pixel_format', '')} "
          f"{options}")
    print(f"floor = import manim {analysis['import']:.1f} s + encoding "
          f"{analysis['encode_cpu']:.1f} CPU s / {jobs} = {analysis['floor']:.1f} s")
    print(f"total / floor       {measured['wall'] / analysis['floor']:8.2f}")
    print(f"file size           {analysis['bytes'] / 1e6:8.2f} MB")
    if rerun is not None:
        print(f"re-run, nothing changed: {rerun:.1f} s")


def peak_memory_mb() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(kids, own) / 1024.0


def measure(scene: Path, quality: str, jobs: int, source_media: Path, keep: bool) -> dict:
    media = cold_media(source_media)
    try:
        measured = render(scene, quality, jobs, media, media / "profiles-cold")
        peak = peak_memory_mb()
        rerun = None
        if jobs > 1:  # make video's command, as a user runs it again
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gdviz.parallel", str(scene), "-q", quality,
                            "--jobs", str(jobs), "--media-dir", str(media)], check=True,
                           cwd=ROOT)
            rerun = time.perf_counter() - t0
        analysis = analyse(scene, measured, jobs, import_seconds())
        label = f"{scene} -q{quality}"
        report(label, measured, analysis, jobs, rerun)
        print(f"peak memory         {peak:8.0f} MB (largest process)")
        return {"quality": quality, "jobs": jobs, **{k: v for k, v in measured.items()
                                                      if k != "plan"},
                **analysis, "rerun": rerun, "peak_mb": peak,
                "ratio": measured["wall"] / analysis["floor"]}
    finally:
        if not keep:
            shutil.rmtree(media, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--as-manim"]:
        return run_instrumented_manim(Path(argv[1]), argv[3:])
    if argv[:1] == ["--encode"]:
        return run_encoder(argv[1], argv[2])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scene", type=Path, default=ROOT / "scenes" / "descent.py")
    ap.add_argument("--quality", nargs="+", default=["h", "l"],
                    help="h renders in --jobs processes (make video); l in one (manim -ql)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--media", type=Path, default=ROOT / "media",
                    help="where the TeX and text caches are copied from")
    ap.add_argument("--keep", action="store_true", help="keep the temporary media folders")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    results = [measure(args.scene, q, args.jobs if q != "l" else 1, args.media, args.keep)
               for q in args.quality]
    print("\nsummary: " + "; ".join(
        f"-q{r['quality']} {r['wall']:.1f} s = {r['ratio']:.2f}x floor {r['floor']:.1f} s"
        + (f", re-run {r['rerun']:.1f} s" if r["rerun"] is not None else "") for r in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
