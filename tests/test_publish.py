"""gdviz publishing: formats, aspect ratios, themes, stills, batches (local and Dask), gallery.

Renders are tiny (144 px on the short side, 5 fps) fixture scenes from tests/scenes_fixture/, so
that the file runs in about two minutes without the real scenes.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.console import Console
from support.publish import (
    SIZES,
    TINY,
    assert_clear_of_edges,
    assert_mostly_light,
    drawn,
    hex_rgb,
    luminance,
)

from gdmath import DEFAULT_PRESET
from gdviz.batch import BatchError, load_batch, run_batch
from gdviz.cli import main
from gdviz.formats import (
    copy_atomic,
    decode_frames,
    gif_loops_forever,
    mp4_boxes,
    mp4_to_gif,
    probe,
)
from gdviz.gallery import build_gallery
from gdviz.jobs import Job, is_up_to_date
from scenes.kit.theme import DARK, LIGHT, contrast_ratio, current_theme

FIXTURES = Path(__file__).parent / "scenes_fixture"
PUBLISH = FIXTURES / "publish_scene.py"
BROKEN = FIXTURES / "broken_scene.py"
TOY = FIXTURES / "toy_scene.py"
LOOP = FIXTURES / "loop_scene.py"
SHOTS = Path(__file__).parent / "_output"  # git-ignored: screenshots to look at
FORMATS = ("mp4", "gif", "webm", "png")


def quiet() -> Console:
    return Console(file=io.StringIO(), width=200)


# --------------------------------------------------------------------------- no render
def test_sizes_follow_quality_and_aspect():
    cases = {("l", "16:9"): (854, 480), ("l", "9:16"): (480, 854), ("l", "1:1"): (480, 480),
             ("h", "16:9"): (1920, 1080), ("h", "9:16"): (1080, 1920), ("k", "16:9"): (3840, 2160)}
    for (q, a), size in cases.items():
        job = Job(scene=PUBLISH, quality=q, aspect=a)
        assert job.pixel_size == size
        assert job.frame_width == pytest.approx(8 * size[0] / size[1])
    assert Job(scene=PUBLISH, aspect="9:16", **TINY).pixel_size == (144, 256)
    assert Job(scene=PUBLISH, quality="h").frame_rate == 60


def test_impossible_settings_are_refused_with_the_allowed_values():
    with pytest.raises(ValueError, match="no alpha channel.*webm"):
        Job(scene=PUBLISH, format="mp4", transparent=True)
    with pytest.raises(ValueError, match="aspect must be one of 16:9, 1:1, 9:16"):
        Job(scene=PUBLISH, aspect="4:3")
    with pytest.raises(ValueError, match="preset or a config"):
        Job(scene=PUBLISH, preset="bowl", config=Path("x.toml"))


def test_cli_refuses_transparent_mp4(capsys):
    assert main(["render", str(PUBLISH), "--transparent"]) == 2
    assert "no alpha channel" in capsys.readouterr().err


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("gdviz")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for command in ("render", "stills", "batch", "gallery"):
        assert command in out.stdout


def test_theme_contract_reads_the_environment_and_has_contrast():
    assert current_theme({}) is DARK
    assert current_theme({"GDVIZ_THEME": "light"}) is LIGHT
    with pytest.raises(ValueError, match="dark, light"):
        current_theme({"GDVIZ_THEME": "sepia"})
    for theme in (DARK, LIGHT):
        assert contrast_ratio(theme.text, theme.background) >= 7, theme.name
        for role in ("muted", "axes", "ball", "trail", "cross", "gradient", "step", "contour",
                     "level_line", "right_angle", "floor", "data", "fit", "diverged",
                     "highlight"):
            assert contrast_ratio(getattr(theme, role), theme.background) >= 3, (theme.name, role)


def test_batch_file_expands_lists_and_refuses_typos(tmp_path):
    f = tmp_path / "course.toml"
    f.write_text(f"""
[defaults]
quality = "l"

[[job]]
scene = "{PUBLISH}"
preset = ["bowl", "plateau"]
format = ["mp4", "gif"]
aspect = ["16:9", "9:16"]

[[job]]
scene = "{PUBLISH}"
kind = "stills"
theme = "light"
""")
    jobs = load_batch(f)
    assert len(jobs) == 2 * 2 * 2 + 1
    assert {j.preset for j in jobs[:8]} == {"bowl", "plateau"}
    assert jobs[-1].kind == "stills" and jobs[-1].theme == "light" and jobs[-1].quality == "l"
    f.write_text(f'[[job]]\nscene = "{PUBLISH}"\naspekt = "1:1"\n')
    with pytest.raises(BatchError, match="unknown key 'aspekt'.*did you mean 'aspect'"):
        load_batch(f)
    f.write_text(f'[[job]]\nscene = "{PUBLISH}"\naspect = "4:3"\n')
    with pytest.raises(BatchError, match=r"\[\[job\]\] #1: aspect must be one of"):
        load_batch(f)


def test_atomic_writers_keep_the_good_file(tmp_path):
    good = tmp_path / "clip.gif"
    good.write_bytes(b"a good old gif")
    with pytest.raises(Exception):  # noqa: B017 - whatever the demuxer raises
        mp4_to_gif(tmp_path / "missing.mp4", good)
    with pytest.raises(OSError):
        copy_atomic(tmp_path / "missing.png", good)
    assert good.read_bytes() == b"a good old gif"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.gif"]


# --------------------------------------------------------------------------- one grid of renders
@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """Every format at every aspect (dark), a light MP4 and a transparent WebM, as one batch."""
    out = tmp_path_factory.mktemp("publish")
    jobs = [Job(scene=PUBLISH, format=f, aspect=a, **TINY) for a in SIZES for f in FORMATS]
    jobs.append(Job(scene=PUBLISH, format="mp4", theme="light", **TINY))
    jobs.append(Job(scene=PUBLISH, format="webm", transparent=True, **TINY))
    t0 = time.perf_counter()
    results = run_batch(jobs, out, workers=2, console=quiet())
    failed = [(r.job.label, r.error) for r in results if r.status != "done"]
    assert not failed, failed
    return {"out": out, "results": {(r.job.format, r.job.aspect, r.job.theme,
                                     r.job.transparent): r for r in results},
            "seconds": time.perf_counter() - t0}


def output(grid, fmt, aspect="16:9", theme="dark", transparent=False) -> Path:
    return grid["results"][(fmt, aspect, theme, transparent)].outputs[0]


@pytest.mark.parametrize("aspect", list(SIZES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_decodes_at_the_aspects_size(grid, fmt, aspect):
    path = output(grid, fmt, aspect)
    assert path.suffix == f".{fmt}" and path.is_file()
    if fmt == "png":
        with Image.open(path) as im:
            assert im.size == SIZES[aspect]
        return
    info = probe(path)
    assert (info.width, info.height) == SIZES[aspect]
    assert info.duration == pytest.approx(2.6, abs=0.25)
    frames = decode_frames(path)
    assert len(frames) >= 12 and frames[0].shape == (SIZES[aspect][1], SIZES[aspect][0], 3)
    assert {"mp4": "h264", "gif": "gif", "webm": "vp9"}[fmt] == info.codec
    if fmt == "mp4":
        assert info.pix_fmt == "yuv420p"
    if fmt == "gif":
        assert gif_loops_forever(path)


def test_mp4_is_fast_start(grid):
    for aspect in SIZES:
        boxes = mp4_boxes(output(grid, "mp4", aspect))
        assert boxes.index("moov") < boxes.index("mdat"), boxes


@pytest.mark.parametrize("aspect", list(SIZES))
def test_nothing_is_clipped_at_any_aspect(grid, aspect):
    """The last frame's 3-pixel border is background; the content fills a good part of it."""
    rgb = np.asarray(Image.open(output(grid, "png", aspect)).convert("RGB"), dtype=float)
    content = drawn(rgb, DARK.background)
    h, w = content.shape
    assert_clear_of_edges(content, aspect)
    ys, xs = np.nonzero(content)
    bw, bh = xs.max() - xs.min(), ys.max() - ys.min()
    assert bw / w > 0.5 or bh / h > 0.5, "the layout should use the frame, not shrink to a dot"
    # The map and the plot side by side on a wide frame, stacked on a tall one.
    if aspect == "16:9":
        assert bw > 1.3 * bh
    if aspect == "9:16":
        assert bh > bw


def test_light_theme_frames_are_mostly_light(grid):
    frames = decode_frames(output(grid, "mp4", theme="light"))
    assert_mostly_light(frames, "light mp4")
    # ... and the drawing on it is dark enough to read: text and lines well below the paper.
    assert (luminance(frames[-1]) < 0.5).sum() > 100
    dark = decode_frames(output(grid, "mp4"))
    assert luminance(dark[-1]).mean() < 0.2


def test_transparent_webm_has_an_alpha_plane(grid):
    path = output(grid, "webm", transparent=True)
    frames = decode_frames(path, alpha=True)
    assert frames and frames[-1].shape[2] == 4
    alpha = frames[-1][..., 3]
    assert (alpha == 0).mean() > 0.5, "the background must be transparent"
    assert (alpha > 128).sum() > 200, "the drawing must be opaque"
    poster = grid["results"][("webm", "16:9", "dark", True)].outputs[1]
    assert Image.open(poster).mode == "RGBA"


def test_render_in_two_processes_prints_only_the_path(tmp_path, capsys):
    """--jobs 2 goes through gdviz.parallel (env, frame, output passed on): a fast-start MP4."""
    args = ["render", str(TOY), "--aspect", "1:1", "--short-side", "144", "--fps", "15",
            "--out"]
    assert main([*args, str(tmp_path / "two"), "--jobs", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = f"toy_scene-{DEFAULT_PRESET}-1x1-dark-en-144p15.mp4"
    assert len(lines) == 1 and lines[0].endswith(expected)
    assert main([*args, str(tmp_path / "one")]) == 0
    one = Path(capsys.readouterr().out.strip())
    two = Path(lines[0])
    assert probe(two).width == probe(two).height == 144
    assert mp4_boxes(two).index("moov") < mp4_boxes(two).index("mdat")
    fa, fb = decode_frames(one), decode_frames(two)
    assert len(fa) == len(fb) and all(np.array_equal(a, b) for a, b in zip(fa, fb, strict=True))


# --------------------------------------------------------------------------- stills
def test_stills_render_each_key_moment(tmp_path, capsys):
    assert main(["stills", str(PUBLISH), "--out", str(tmp_path), "--short-side", "144",
                 "--fps", "5"]) == 0
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert [p.stem.rsplit("-", 1)[1] for p in paths] == ["map", "plot"]
    drawn = []
    for p in paths:
        rgb = np.asarray(Image.open(p).convert("RGB"), dtype=float)
        assert rgb.shape[:2] == (144, 256)
        drawn.append((np.abs(rgb - hex_rgb(DARK.background)).max(axis=2) > 40).sum())
    assert drawn[1] > drawn[0] * 1.2, "the plot is drawn only after the map moment"
    # A scene without KEY_MOMENTS gives its last frame; an unknown moment is named.
    assert main(["stills", str(TOY), "--out", str(tmp_path), "--short-side", "144"]) == 0
    assert capsys.readouterr().out.strip().endswith("-last.png")
    assert main(["stills", str(PUBLISH), "--out", str(tmp_path), "--short-side", "144",
                 "--fps", "5", "--moment", "valley"]) == 1
    assert "unknown moment(s) valley: this scene has map, plot, last" in capsys.readouterr().err


# --------------------------------------------------------------------------- batches
def write_batch(folder: Path) -> Path:
    """Three tiny jobs, the third broken on purpose; scene files copied so tests may edit them."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in (PUBLISH, BROKEN):
        shutil.copy(src, folder / src.name)
    f = folder / "batch.toml"
    f.write_text("""
[defaults]
short_side = 144
fps = 5

[[job]]
scene = "publish_scene.py"
format = "mp4"

[[job]]
scene = "publish_scene.py"
format = "gif"
aspect = "1:1"

[[job]]
scene = "broken_scene.py"
title = "Broken on purpose"
""")
    return f


def batch_cli(args: list[str], capsys) -> tuple[int, str]:
    rc = main(["batch", *args])
    return rc, capsys.readouterr().err


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    f = write_batch(folder / "course")
    out = folder / "out"
    t0 = time.perf_counter()
    results = run_batch(load_batch(f), out, workers=2, console=quiet())
    return {"file": f, "out": out, "results": results, "seconds": time.perf_counter() - t0}


def test_batch_with_a_broken_job_makes_the_others_and_reports_it(tmp_path, capsys):
    f = write_batch(tmp_path / "course")
    out = tmp_path / "out"
    rc, err = batch_cli([str(f), "--out", str(out)], capsys)
    assert rc == 1
    made = sorted(p.name for p in (out / "publish_scene").glob("*.*") if p.suffix != ".json")
    assert made == [f"publish_scene-{DEFAULT_PRESET}-16x9-dark-en-144p5.mp4",
                    f"publish_scene-{DEFAULT_PRESET}-1x1-dark-en-144p5.gif"]
    assert not (out / "broken_scene").exists()
    assert "3 jobs: 2 done, 0 skipped (up to date), 1 failed" in err
    assert f"FAILED #3 broken_scene-{DEFAULT_PRESET}-16x9-dark-en-144p5.mp4" in err
    assert "RuntimeError: broken on purpose" in err
    assert "command: gdviz render" in err and "broken_scene.py" in err

    # Rerun: the two finished jobs are skipped (files untouched), the broken one fails again.
    mp4 = out / "publish_scene" / made[0]
    before = mp4.stat().st_mtime_ns
    rc, err = batch_cli([str(f), "--out", str(out)], capsys)
    assert rc == 1 and "3 jobs: 0 done, 2 skipped (up to date), 1 failed" in err
    assert mp4.stat().st_mtime_ns == before

    # The scene changes: its jobs are out of date and render again.
    scene = f.parent / "publish_scene.py"
    scene.write_text(scene.read_text() + "\n# edited\n")
    assert not is_up_to_date(load_batch(f)[0], out)
    rc, err = batch_cli([str(f), "--out", str(out)], capsys)
    assert "3 jobs: 2 done, 0 skipped (up to date), 1 failed" in err
    good = mp4.read_bytes()

    # Now the scene breaks: the job fails and the good file from before stays as it was.
    scene.write_text(scene.read_text().replace('use_theme(self)', 'use_theme(self)\n        1 / 0'))
    rc, err = batch_cli([str(f), "--out", str(out)], capsys)
    assert "ZeroDivisionError" in err and "0 done, 0 skipped (up to date), 3 failed" in err
    assert mp4.read_bytes() == good and decode_frames(mp4)
    assert not list(out.rglob("*.partial*"))


def test_batch_on_a_dask_local_cluster_makes_the_same_outputs(local_batch, tmp_path):
    import distributed  # the "cluster" extra, part of "dev": always installed for the tests
    statuses = [r.status for r in local_batch["results"]]
    assert statuses == ["done", "done", "failed"]
    out = tmp_path / "dask-out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        results = run_batch(load_batch(local_batch["file"]), out,
                            scheduler=cluster.scheduler_address, console=quiet())
    assert [r.status for r in results] == statuses
    assert "broken on purpose" in results[2].error

    def files(root: Path) -> dict[str, Path]:
        return {str(p.relative_to(root)): p for p in root.rglob("*")
                if p.is_file() and ".work" not in p.parts}

    here, there = files(local_batch["out"]), files(out)
    assert sorted(here) == sorted(there)
    for name, p in here.items():
        if p.suffix == ".json":
            a, b = json.loads(p.read_text()), json.loads(there[name].read_text())
            assert a["fingerprint"] == b["fingerprint"] and a["outputs"] == b["outputs"]
        elif p.suffix == ".png":
            assert np.array_equal(np.asarray(Image.open(p)), np.asarray(Image.open(there[name])))
        else:
            fa, fb = decode_frames(p), decode_frames(there[name])
            assert len(fa) == len(fb) and all(np.array_equal(x, y) for x, y in zip(fa, fb,
                                                                                 strict=True))


# --------------------------------------------------------------------------- GIF size
def test_ten_second_480p_gif_loop_is_under_5_mb(tmp_path, capsys):
    assert main(["render", str(LOOP), "--quality", "l", "--format", "gif",
                 "--out", str(tmp_path)]) == 0
    gif = Path(capsys.readouterr().out.strip())
    info = probe(gif)
    assert (info.width, info.height) == (854, 480)
    assert info.duration == pytest.approx(10.0, abs=0.2)
    assert gif_loops_forever(gif)
    size = gif.stat().st_size
    print(f"10 s 480p GIF: {size / 1e6:.2f} MB")
    assert size < 5e6


# --------------------------------------------------------------------------- gallery in Chromium
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(grid, local_batch, tmp_path):
    """The grid and batch outputs plus stills in one publish folder, its gallery, on HTTP."""
    root = tmp_path / "site"
    publish = root / "media" / "publish"
    for src in (grid["out"], local_batch["out"]):
        shutil.copytree(src, publish, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".work"))
    assert main(["stills", str(PUBLISH), "--out", str(publish), "--theme", "light",
                 "--short-side", "144", "--fps", "5"]) == 0
    page = build_gallery(publish, root / "media" / "gallery" / "index.html", companions=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{page.relative_to(root).as_posix()}", page
    finally:
        server.shutdown()
        server.server_close()


class DevTools:
    """Just enough of the Chrome DevTools protocol: navigate and evaluate."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.n = 0

    def call(self, method: str, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                assert "error" not in msg, msg
                return msg["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"].get("value")


def test_gallery_loads_every_video_in_headless_chromium(served, tmp_path):
    url, page = served
    n_videos = sum(1 for p in page.parent.parent.joinpath("publish").rglob("*")
                   if p.suffix in (".mp4", ".webm"))
    # `make test` installs Chromium (scripts/setup.sh --test): its absence is a failure.
    assert CHROMIUM, "no chromium: run `make test` or `bash scripts/setup.sh --test`"
    profile = tempfile.mkdtemp(dir=tmp_path)
    proc = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                             "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ws_browser = None
        assert proc.stderr is not None
        for line in proc.stderr:
            if "DevTools listening on" in line:
                ws_browser = line.split("listening on", 1)[1].strip()
                break
        assert ws_browser, "chromium did not start its DevTools endpoint"
        port = ws_browser.split(":")[2].split("/")[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        tab = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        tab.call("Page.enable")
        tab.call("Page.navigate", url=url)
        probe_js = ("JSON.stringify(Array.from(document.querySelectorAll('video')).map(v => "
                    "({src: v.currentSrc, ready: v.readyState, duration: v.duration, "
                    "error: v.error && v.error.code})))")
        deadline, videos = time.monotonic() + 40, []
        while time.monotonic() < deadline:
            videos = json.loads(tab.evaluate(probe_js) or "[]")
            if len(videos) == n_videos and all(v["ready"] >= 1 for v in videos):
                break
            time.sleep(0.25)
        assert len(videos) == n_videos == 8, videos
        for v in videos:
            assert v["error"] is None and v["ready"] >= 1 and v["duration"] > 0, v
        # Images load lazily as they scroll into view: load them all to check every file.
        tab.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        images_js = ("JSON.stringify(Array.from(document.images).map(i => "
                     "[i.complete, i.naturalWidth, i.src]))")
        deadline, images = time.monotonic() + 20, []
        while time.monotonic() < deadline:
            images = json.loads(tab.evaluate(images_js))
            if images and all(done and w > 0 for done, w, _ in images):
                break
            time.sleep(0.25)
        assert images and all(done and w > 0 for done, w, _ in images), images
        cards = tab.evaluate("document.querySelectorAll('article').length")
        # Each card: the command and the embed snippet, shown whole, each with a copy button.
        assert tab.evaluate("document.querySelectorAll('article pre').length") == 2 * cards
        assert tab.evaluate("document.querySelectorAll('article button[data-copy]').length") \
            == 2 * cards
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / "gallery.png"
    shot.unlink(missing_ok=True)
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}",
                    f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars",
                    "--virtual-time-budget=4000", url],
                   check=True, capture_output=True, timeout=90)
    rgb = np.asarray(Image.open(shot).convert("RGB"), dtype=float)
    assert rgb.shape[:2] == (2400, 1280)
    assert rgb.std() > 20, "the screenshot is blank"
