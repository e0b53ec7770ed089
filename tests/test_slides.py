"""`gdviz slides`: a manim-slides reveal.js deck, one slide per section, checked in Chromium."""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import CHROMIUM, Tab, chromium_tab
from PIL import Image

from gdviz.cli import main
from gdviz.slides import find_reveal, slide_breaks

REPO = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).parent / "_output"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_breaks_fall_where_the_section_changes():
    assert slide_breaks(["a", "a", "b", "b", "b", "c"]) == [2, 5]
    assert slide_breaks(["a", "a"]) == []


def test_slides_refuses_a_bad_problem_with_its_message(capsys):
    assert main(["slides", str(REPO / "scenes" / "contour.py"), "--preset", "nope"]) == 2
    assert "unknown preset 'nope'" in capsys.readouterr().err


def check_deck(tab: Tab, n_slides: int, shot: Path) -> None:
    """The deck shows `n_slides` slides, each with its video, and the right arrow advances."""
    assert tab.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()", 30), tab.errors
    assert tab.evaluate("Reveal.getTotalSlides()") == n_slides
    assert tab.evaluate("Reveal.getIndices().h") == 0
    assert tab.wait_for("(() => { const v = Reveal.getCurrentSlide()"
                        ".slideBackgroundContentElement.querySelector('video');"
                        " return v && v.readyState >= 2 && v.duration > 0; })()", 30)
    tab.pump(1.0)
    tab.screenshot(shot)
    tab.press("ArrowRight")
    assert tab.wait_for("Reveal.getIndices().h === 1", 10), "a key press did not advance"
    assert not tab.errors, tab.errors


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium")
def test_contour_deck_has_a_slide_per_section_and_advances(tmp_path, capsys):
    if find_reveal() is None:
        pytest.skip("no local reveal.js and no npm to fetch it")
    out = tmp_path / "deck"
    assert main(["slides", str(REPO / "scenes" / "contour.py"), "--short-side", "144",
                 "--fps", "5", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    page = Path(captured.out.strip())
    assert "2 slides" in captured.err  # ContourMap.sections = ("map", "right_angles")
    text = page.read_text()
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', text), "remote assets"
    assert sorted(p.name for p in out.iterdir()) == [page.name, f"{page.stem}_assets"]
    assert len(list((out / f"{page.stem}_assets").glob("*.mp4"))) == 2
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{page.name}"
        with chromium_tab(url, (960, 540)) as tab:
            check_deck(tab, 2, SHOTS / "slides-contour.png")
            base = url.rsplit("/", 1)[0]
            remote = [u for u in tab.requests if not u.startswith((base, "data:", "blob:"))]
            assert not remote, remote
    finally:
        server.shutdown()
        server.server_close()
    rgb = np.asarray(Image.open(SHOTS / "slides-contour.png").convert("RGB"), dtype=float)
    assert rgb.std() > 10, "the slide is blank"
