"""`gdviz gallery --out DIR`: one static folder, course order, captions, posters, companions."""

from __future__ import annotations

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, chromium_tab

from gdviz.cli import main
from gdviz.gallery import COURSE, course_key

REPO = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).parent / "_output"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_course_order_puts_the_main_video_first():
    scenes = ["sgd", "basins", "zeta", "contour", "descent", "flow"]
    assert sorted(scenes, key=course_key) == ["descent", "contour", "flow", "sgd", "basins",
                                              "zeta"]
    assert COURSE[0] == "descent"
    assert {p.stem for p in (REPO / "scenes").glob("*.py")} >= set(COURSE)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium")
def test_gallery_is_one_static_folder_with_tracks_and_companions(tmp_path, capsys):
    out = tmp_path / "site"
    tiny = ["--short-side", "144", "--fps", "5", "--out", str(out)]
    assert main(["render", str(REPO / "scenes" / "contour.py"), "--captions", *tiny]) == 0
    assert main(["render", str(REPO / "scenes" / "contour.py"), "--lang", "ja", *tiny]) == 0
    capsys.readouterr()
    assert main(["gallery", "--out", str(out)]) == 0
    assert Path(capsys.readouterr().out.strip()) == out / "index.html"
    assert not list(out.rglob(".work")) and not list(out.rglob("*.partial"))
    text = (out / "index.html").read_text()
    # Every link is relative and stays inside the folder: copy it and check each target.
    moved = shutil.copytree(out, tmp_path / "elsewhere")
    shutil.rmtree(out)
    links = re.findall(r'(?:src|href|poster)="([^"]+)"', text)
    assert links and all(not link.startswith(("/", "http", "..")) for link in links), links
    assert all((moved / link).is_file() for link in links), links
    assert text.count("<track ") == 1 and 'srclang="en"' in text  # only the captioned clip
    assert "The contour map" in text and "等高線図" in text and "3D で谷を回す" in text
    companions = sorted(p.name for p in moved.rglob("*.3d.html"))
    assert len(companions) == 2 and all(not re.search(r"<script[^>]+src=", p.read_text())
                                        for p in moved.rglob("*.3d.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(moved)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with chromium_tab(f"http://127.0.0.1:{server.server_port}/index.html") as tab:
            cues = tab.wait_for("(() => { const t = Array.from(document.querySelectorAll("
                                "'video')).flatMap(v => Array.from(v.textTracks));"
                                " return t.length === 1 && t[0].cues && t[0].cues.length; })()")
            assert cues == 7, cues
            ready = tab.wait_for("Array.from(document.querySelectorAll('video'))"
                                 ".every(v => v.readyState >= 1 && v.duration > 0)")
            assert ready and tab.evaluate("document.querySelectorAll('video').length") == 2
            posters = tab.evaluate("Array.from(document.querySelectorAll('video'))"
                                   ".map(v => v.poster.endsWith('-mp4.png'))")
            assert posters == [True, True]
            columns = tab.evaluate("getComputedStyle(document.querySelector('.grid'))"
                                   ".gridTemplateColumns.split(' ').length")
            assert columns >= 3, "a responsive grid: several cards a row at 1280 px"
            tab.screenshot(SHOTS / "gallery-course.png")
    finally:
        server.shutdown()
        server.server_close()
