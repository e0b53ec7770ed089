"""The gallery: every published clip and still on one static page, in course order.

``gdviz gallery --out DIR`` writes ``DIR/index.html`` for the outputs under DIR, built from the
``.json`` sidecars that `gdviz.jobs` writes next to each output, so it shows what is on disk,
whichever command made it. Every link is relative and inside DIR: the folder can be copied to
any web host as it is.

Course order: the main video first, then the lecture clips in teaching order (`COURSE`):

1. ``descent``, the whole story; then its two halves on their own, ``valley`` (the surface and
   the roll) and ``contour`` (the map and the right angles);
2. the step: ``learning_rates`` (how η decides the run), ``curvature`` (why it zig-zags),
   ``flow`` (the limit of small steps);
3. other rules and other gradients: ``optimizers``, then ``sgd``;
4. other landscapes: ``landscapes`` (activations, plateaus, ridges), then ``basins`` (several
   minima; the start decides).

Scenes not in the list follow, by name. Each card has the clip (``<video>`` with its key-moment
poster and, when ``<stem>.vtt`` exists, its ``<track>``), a human title and one line in the
clip's language, the size and length, a link to the interactive companion ``<stem>.3d.html``
(written here, see `gdviz.companion`), the command that makes it and an embed snippet, each
with a copy button.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["COURSE", "SCENE_TEXT", "build_gallery", "collect_entries", "course_key",
           "embed_snippet"]

_MIME = {"mp4": "video/mp4", "webm": "video/webm"}

#: Scene file stems in teaching order (see the module docstring).
COURSE = ("descent", "valley", "contour", "learning_rates", "curvature", "flow", "optimizers",
          "sgd", "landscapes", "basins")

#: Human title and one line per scene, in English and Japanese.
SCENE_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "descent": {
        "en": ("Gradient descent, from the model to the valley floor",
               "One neuron, its loss as a valley, the ball rolling down, the map from above."),
        "ja": ("勾配降下法:モデルから谷底まで",
               "1つのニューロン、谷としての損失、転がるボール、真上から見た等高線図。")},
    "valley": {
        "en": ("The loss valley", "The loss over every (w, b) and the descent rolling down it."),
        "ja": ("損失の谷", "すべての (w, b) にわたる損失と、それを下る降下。")},
    "contour": {
        "en": ("The contour map", "Each step crosses the level line at a right angle."),
        "ja": ("等高線図", "各ステップは等高線と直角に交わる。")},
    "learning_rates": {
        "en": ("The learning rate", "Too small crawls, too large diverges: 2/λmax is the limit."),
        "ja": ("学習率", "小さすぎると這い、大きすぎると発散する。境目は 2/λmax。")},
    "curvature": {
        "en": ("Why descent zig-zags", "The steep direction of the Hessian limits the step."),
        "ja": ("なぜジグザグになるか", "ヘッセ行列の急な方向が歩幅を制限する。")},
    "flow": {
        "en": ("Steps and the gradient flow",
               "As η shrinks, the steps follow the continuous flow."),
        "ja": ("ステップと勾配流", "η を小さくすると、ステップは連続的な勾配流に沿う。")},
    "optimizers": {
        "en": ("Five optimizers race", "GD, momentum, Nesterov, RMSProp and Adam on one valley."),
        "ja": ("5つの最適化手法",
               "勾配降下法、モメンタム、ネステロフ、RMSProp、Adam が同じ谷を下る。")},
    "sgd": {
        "en": ("Full batch versus minibatch", "SGD's noisy path jitters around the smooth one."),
        "ja": ("フルバッチとミニバッチ", "SGD のノイズのある経路は滑らかな経路のまわりで揺れる。")},
    "landscapes": {
        "en": ("Activation landscapes",
               "Same data, four activations: plateaus, dead ReLUs, ridges."),
        "ja": ("活性化関数と損失の地形",
               "同じデータ、4つの活性化関数:平坦な所、死んだ ReLU、尾根。")},
    "basins": {
        "en": ("Basins of attraction", "Several minima: the start decides which one is reached."),
        "ja": ("引き込み領域", "最小値が複数あるとき、どこに着くかは初期値で決まる。")},
}

_UI_TEXT = {
    "en": {"command": "Command", "embed": "Embed", "copy": "copy", "copied": "copied",
           "companion": "Turn the valley in 3D", "stills": "PNG stills"},
    "ja": {"command": "コマンド", "embed": "埋め込み", "copy": "コピー", "copied": "コピーしました",
           "companion": "3D で谷を回す", "stills": "PNG 静止画"},
}


def course_key(scene: str) -> tuple[int, str]:
    """Sort key of a scene stem: its place in `COURSE`, then its name."""
    return (COURSE.index(scene) if scene in COURSE else len(COURSE), scene)


def collect_entries(out_dir: Path) -> list[dict[str, Any]]:
    """The sidecars under `out_dir` whose outputs exist, in course order."""
    out_dir = Path(out_dir)
    entries = []
    for side in sorted(out_dir.rglob("*.json")):
        if any(part.startswith(".") for part in side.relative_to(out_dir).parts):
            continue
        try:
            meta = json.loads(side.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict) or "job" not in meta or "outputs" not in meta:
            continue
        files = [side.parent / name for name in meta["outputs"]]
        if not files or not all(path.is_file() for path in files):
            continue
        meta["_files"] = files
        meta["_scene"] = Path(meta["job"]["scene"]).stem
        entries.append(meta)
    entries.sort(key=lambda entry: (course_key(entry["_scene"]), entry["job"]["kind"] != "render",
                                    entry["_files"][0].name))
    return entries


def embed_snippet(meta: Mapping[str, Any], file: Path, poster: Path | None = None,
                  track: Path | None = None) -> str:
    """HTML that embeds `file` in a page, referring to it (and its poster, captions) by name.

    The author uploads the file(s) next to the page, or edits the path.
    """
    width, height = meta.get("width"), meta.get("height")
    alt = html.escape(str(meta.get("title", file.stem)), quote=True)
    size = f' width="{width}" height="{height}"' if width and height else ""
    style = ' style="max-width:100%;height:auto"'
    ext = file.suffix.lstrip(".")
    if ext in _MIME:
        poster_attr = f' poster="{poster.name}"' if poster else ""
        lang = str(meta.get("language", "en"))
        track_tag = (f'\n  <track kind="captions" src="{track.name}" srclang="{lang}" default>'
                     if track else "")
        return (f'<video controls muted loop playsinline preload="metadata"{poster_attr}{size}'
                f'{style}>\n  <source src="{file.name}" type="{_MIME[ext]}">{track_tag}\n'
                f'  <a href="{file.name}">{alt}</a>\n</video>')
    return f'<img src="{file.name}" alt="{alt}"{size} loading="lazy"{style}>'


def _rel(target: Path, page_dir: Path) -> str:
    return html.escape(Path(os.path.relpath(target, page_dir)).as_posix(), quote=True)


def _copyable(label: str, text: str, ident: str, ui_text: Mapping[str, str]) -> str:
    """A label with a copy button over the whole text, wrapped rather than cut off."""
    return (f'<p class="label">{label} <button type="button" data-copy="{ident}" '
            f'data-done="{ui_text["copied"]}">{ui_text["copy"]}</button></p>\n'
            f'  <pre id="{ident}"><code>{html.escape(text)}</code></pre>')


def _clip_media(meta: Mapping[str, Any], page_dir: Path, title: str) -> tuple[str, str]:
    """The card's player and its embed snippet for a clip (video, GIF or PNG)."""
    from gdviz.captions import language_names

    clip: Path = meta["_files"][0]
    poster = meta["_files"][1] if len(meta["_files"]) > 1 else None
    width, height = meta.get("width"), meta.get("height")
    ext = clip.suffix.lstrip(".")
    vtt = clip.with_suffix(".vtt")
    track = vtt if vtt.is_file() else None
    if ext not in _MIME:
        return (f'<img src="{_rel(clip, page_dir)}" alt="{html.escape(title, quote=True)}" '
                f'width="{width}" height="{height}" loading="lazy">', embed_snippet(meta, clip))
    lang = str(meta.get("language", "en"))
    poster_attr = f' poster="{_rel(poster, page_dir)}"' if poster else ""
    track_tag = (f'<track kind="captions" src="{_rel(track, page_dir)}" srclang="{lang}" '
                 f'label="{language_names().get(lang, lang)}" default>' if track else "")
    video = (f'<video controls muted loop playsinline preload="metadata"{poster_attr} '
             f'width="{width}" height="{height}"><source src="{_rel(clip, page_dir)}" '
             f'type="{_MIME[ext]}">{track_tag}</video>')
    return video, embed_snippet(meta, clip, poster, track)


def _card(meta: Mapping[str, Any], page_dir: Path, n: int) -> str:
    files: list[Path] = meta["_files"]
    job = meta["job"]
    lang = "ja" if meta.get("language") == "ja" else "en"
    ui_text = _UI_TEXT[lang]
    scene_title, line = SCENE_TEXT.get(meta["_scene"], {}).get(lang, ("", ""))
    title = scene_title or str(meta.get("title", files[0].stem))
    line = line or str(meta.get("scene_doc", ""))
    width, height = meta.get("width"), meta.get("height")
    bits = [f"{width}×{height}" if width and height else "", job.get("aspect", "")]
    if meta.get("duration"):
        bits.append(f"{float(meta['duration']):.1f} s")
    bits += [job.get("preset") or Path(job.get("config") or "").stem, job.get("theme", ""),
             lang]
    links = ""
    if job["kind"] == "stills":
        media = "".join(
            f'<figure class="still"><a href="{_rel(still, page_dir)}">'
            f'<img src="{_rel(still, page_dir)}"'
            f' alt="{html.escape(title, quote=True)}: {html.escape(moment, quote=True)}" '
            f'loading="lazy"></a><figcaption>{html.escape(moment)}</figcaption></figure>'
            for still, moment in zip(files, meta.get("moments", [still.stem for still in files]),
                                     strict=False))
        snippet = "\n".join(embed_snippet(meta, still) for still in files)
        bits.insert(0, ui_text["stills"])
    else:
        media, snippet = _clip_media(meta, page_dir, title)
        size = files[0].stat().st_size
        bits.insert(0, files[0].suffix.lstrip(".").upper()
                    + (" alpha" if job.get("transparent") else ""))
        bits.append(f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB")
        companion = meta.get("_companion")
        if companion:
            links = (f'<p class="links"><a href="{_rel(companion, page_dir)}">'
                     f'{ui_text["companion"]}</a></p>')
    stills = " stills" if job["kind"] == "stills" else ""
    return f"""
<article class="card" id="clip-{n}" lang="{lang}">
  <div class="media{stills}">{media}</div>
  <h3>{html.escape(title)}</h3>
  <p class="line">{html.escape(line)}</p>
  <p class="meta">{html.escape(' · '.join(bit for bit in bits if bit))}</p>
  {links}
  {_copyable(ui_text["command"], str(meta.get("command", "")), f"command-{n}", ui_text)}
  {_copyable(ui_text["embed"], snippet, f"snippet-{n}", ui_text)}
</article>"""


_STYLE = """
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #ffffff; --text: #1f2328;
        --muted: #57606a; --line: #d0d7de; --link: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --card: #161b22; --text: #e6edf3; --muted: #8b949e; --line: #30363d;
          --link: #58a6ff; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.5 system-ui, "Noto Sans CJK JP", sans-serif;
       background: var(--bg); color: var(--text); }
a { color: var(--link); }
h1 { margin: 0 0 4px; font-size: 24px; }
.intro { color: var(--muted); margin: 0 0 18px; }
.grid { display: grid; gap: 18px; align-items: start;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 360px), 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
        padding: 12px; display: flex; flex-direction: column; min-width: 0; }
.media { display: flex; justify-content: center; align-items: center; min-height: 120px;
         background: repeating-conic-gradient(#8882 0 25%, #0000 0 50%) 50% / 16px 16px;
         border-radius: 6px; overflow: hidden; }
.media video, .media img { display: block; width: 100%; height: auto; max-height: 420px;
                           object-fit: contain; }
.media.stills { gap: 6px; flex-wrap: wrap; padding: 6px; }
.media.stills .still { margin: 0; flex: 1 1 45%; text-align: center; font-size: 12px; }
.media.stills img { max-height: 200px; margin: auto; }
h3 { margin: 10px 0 2px; font-size: 17px; }
.line { margin: 0 0 4px; }
.meta { margin: 0 0 6px; color: var(--muted); font-size: 13px; }
.links { margin: 0 0 6px; font-size: 14px; }
.label { margin: 8px 0 2px; font-size: 12px; text-transform: uppercase; color: var(--muted); }
pre { margin: 0; padding: 6px 8px; background: var(--bg); border: 1px solid var(--line);
      border-radius: 6px; font: 12px/1.45 ui-monospace, monospace; white-space: pre-wrap;
      overflow-wrap: anywhere; max-height: 14em; overflow-y: auto; }
button { font-size: 11px; margin-left: 6px; cursor: pointer; text-transform: none; }
"""

_SCRIPT = """
document.querySelectorAll('button[data-copy]').forEach(function (b) {
  var label = b.textContent;
  b.addEventListener('click', function () {
    var text = document.getElementById(b.dataset.copy).textContent;
    var done = function () { b.textContent = b.dataset.done;
                             setTimeout(function () { b.textContent = label; }, 1500); };
    var fallback = function () {
      var t = document.createElement('textarea'); t.value = text; document.body.appendChild(t);
      t.select(); document.execCommand('copy'); t.remove(); done();
    };
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, fallback); }
    else { fallback(); }
  });
});
"""


def _companions(entries: list[dict[str, Any]], warn: Callable[[str], None]) -> None:
    """Write (or keep, when up to date) the 3D companion of every clip; note it in the entry."""
    from gdviz.companion import companion_path, write_companion

    for meta in entries:
        if meta["job"]["kind"] != "render" or meta["job"].get("format") == "png":
            continue
        clip: Path = meta["_files"][0]
        target = companion_path(clip)
        try:
            if not target.is_file() or target.stat().st_mtime < clip.stat().st_mtime:
                write_companion(clip, meta["job"], str(meta.get("title", "")))
            meta["_companion"] = target
        except (ValueError, OSError, SystemExit) as exc:
            warn(f"no 3D companion for {clip.name}: {exc}")


def build_gallery(out_dir: str | Path = "media/publish", page: str | Path | None = None,
                  companions: bool = True,
                  warn: Callable[[str], None] | None = None) -> Path:
    """Write the gallery page for everything under `out_dir`; returns its path.

    `page` defaults to ``<out_dir>/index.html``; `companions` writes each clip's
    ``<stem>.3d.html`` beside it and links it.
    """
    out_dir = Path(out_dir).resolve()
    page = (out_dir / "index.html") if page is None else Path(page).resolve()
    page.parent.mkdir(parents=True, exist_ok=True)
    entries = collect_entries(out_dir) if out_dir.is_dir() else []
    if companions:
        _companions(entries, warn or (lambda message: None))
    cards = "".join(_card(meta, page.parent, n) for n, meta in enumerate(entries, start=1))
    body = f'<div class="grid">{cards}\n</div>' if entries else (
        "<p>Nothing rendered yet: run <code>gdviz render SCENE --out DIR</code> or "
        "<code>gdviz batch FILE --out DIR</code>, then <code>gdviz gallery --out DIR</code>.</p>")
    doc = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gdviz gallery</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>gdviz gallery</h1>
<p class="intro">{len(entries)} outputs, the main video first, then the lecture clips in teaching
order. Embed snippets name the files only: upload the video (its poster and captions) next to
your page.</p>
{body}
<script>{_SCRIPT}</script>
</body>
</html>
"""
    tmp = page.with_name(page.name + ".partial")
    tmp.write_text(doc, encoding="utf-8")
    os.replace(tmp, page)
    return page
