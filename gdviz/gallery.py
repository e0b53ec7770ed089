"""``media/gallery/index.html``: every published clip and still on one page, ready to copy.

The page is built from the ``.json`` sidecars that `gdviz.jobs` writes next to each output, so it
shows what is on disk, whichever command made it. Each card has the clip (a ``<video>`` with its
poster still, or the GIF/PNG), a title, the size and length, the ``gdviz`` command that makes it,
and an embed snippet with a copy button. Links are relative: the page works from a web server
or straight from the disk.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["build_gallery", "collect_entries", "embed_snippet"]

_MIME = {"mp4": "video/mp4", "webm": "video/webm"}


def collect_entries(out_dir: Path) -> list[dict[str, Any]]:
    """The sidecars under `out_dir` whose outputs exist, sorted by scene then name."""
    entries = []
    for side in sorted(Path(out_dir).rglob("*.json")):
        if ".work" in side.relative_to(out_dir).parts:
            continue
        try:
            meta = json.loads(side.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict) or "job" not in meta or "outputs" not in meta:
            continue
        files = [side.parent / o for o in meta["outputs"]]
        if not files or not all(f.is_file() for f in files):
            continue
        meta["_files"] = files
        meta["_scene"] = Path(meta["job"]["scene"]).stem
        entries.append(meta)
    entries.sort(key=lambda m: (m["_scene"], m["job"]["kind"] != "render", m["_files"][0].name))
    return entries


def embed_snippet(meta: Mapping[str, Any], file: Path, poster: Path | None = None) -> str:
    """HTML that embeds `file` in a page, referring to it (and its poster) by file name.

    The author uploads the file(s) next to the page, or edits the path.
    """
    w, h = meta.get("width"), meta.get("height")
    alt = html.escape(str(meta.get("title", file.stem)), quote=True)
    size = f' width="{w}" height="{h}"' if w and h else ""
    style = ' style="max-width:100%;height:auto"'
    ext = file.suffix.lstrip(".")
    if ext in _MIME:
        poster_attr = f' poster="{poster.name}"' if poster else ""
        return (f'<video controls muted loop playsinline preload="metadata"{poster_attr}{size}'
                f'{style}>\n  <source src="{file.name}" type="{_MIME[ext]}">\n'
                f'  <a href="{file.name}">{alt}</a>\n</video>')
    return f'<img src="{file.name}" alt="{alt}"{size} loading="lazy"{style}>'


def _rel(target: Path, page_dir: Path) -> str:
    return Path(os.path.relpath(target, page_dir)).as_posix()


def _card(meta: Mapping[str, Any], page_dir: Path, n: int) -> str:
    files: list[Path] = meta["_files"]
    job = meta["job"]
    title = html.escape(str(meta.get("title", files[0].stem)))
    cmd = html.escape(str(meta.get("command", "")))
    w, h = meta.get("width"), meta.get("height")
    bits = [f"{w}×{h}" if w and h else "", job.get("aspect", "")]
    if meta.get("duration"):
        bits.append(f"{float(meta['duration']):.1f} s")
    bits += [job.get("theme", ""), meta.get("language", "")]
    media, snippets = [], []
    if job["kind"] == "stills":
        for f, moment in zip(files, meta.get("moments", [f.stem for f in files]), strict=False):
            src = html.escape(_rel(f, page_dir), quote=True)
            media.append(f'<figure class="still"><a href="{src}"><img src="{src}" alt="{title}: '
                         f'{html.escape(moment)}" loading="lazy"></a><figcaption>'
                         f'{html.escape(moment)}</figcaption></figure>')
            snippets.append(embed_snippet(meta, f))
        kind = "PNG stills"
    else:
        f = files[0]
        poster = files[1] if len(files) > 1 else None
        src = html.escape(_rel(f, page_dir), quote=True)
        ext = f.suffix.lstrip(".")
        if ext in _MIME:
            poster_attr = (f' poster="{html.escape(_rel(poster, page_dir), quote=True)}"'
                           if poster else "")
            media.append(f'<video controls muted loop playsinline preload="metadata"'
                         f'{poster_attr} width="{w}" height="{h}"><source src="{src}" '
                         f'type="{_MIME[ext]}"></video>')
        else:
            media.append(f'<img src="{src}" alt="{title}" width="{w}" height="{h}" '
                         'loading="lazy">')
        snippets.append(embed_snippet(meta, f, poster))
        kind = ext.upper() + (" with alpha" if job.get("transparent") else "")
        size = f.stat().st_size
        bits.append(f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB")
    bits.insert(0, kind)
    snippet = html.escape("\n".join(snippets))
    rows = max(3, snippet.count("\n") + 2)
    return f"""
<article class="card" id="clip-{n}">
  <div class="media{' stills' if job['kind'] == 'stills' else ''}">{''.join(media)}</div>
  <h3>{title}</h3>
  <p class="meta">{html.escape(' · '.join(b for b in bits if b))}</p>
  <p class="label">Command</p>
  <pre><code>{cmd}</code></pre>
  <p class="label">Embed <button type="button" data-copy="snippet-{n}">copy</button></p>
  <textarea id="snippet-{n}" readonly rows="{rows}">{snippet}</textarea>
</article>"""


_STYLE = """
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #ffffff; --text: #1f2328;
        --muted: #57606a; --line: #d0d7de; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --card: #161b22; --text: #e6edf3; --muted: #8b949e; --line: #30363d; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.5 system-ui, sans-serif; background: var(--bg);
       color: var(--text); }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 32px 0 12px; font-size: 19px; border-bottom: 1px solid var(--line); }
.intro { color: var(--muted); margin: 0 0 8px; }
.grid { display: grid; gap: 18px; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
        align-items: start; }
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
h3 { margin: 10px 0 2px; font-size: 16px; }
.meta { margin: 0 0 6px; color: var(--muted); font-size: 13px; }
.label { margin: 6px 0 2px; font-size: 12px; text-transform: uppercase; color: var(--muted); }
pre { margin: 0; padding: 6px 8px; background: var(--bg); border-radius: 6px; overflow-x: auto;
      font-size: 12px; }
textarea { width: 100%; font: 12px/1.4 ui-monospace, monospace; background: var(--bg);
           color: var(--text); border: 1px solid var(--line); border-radius: 6px;
           resize: vertical; }
button { font-size: 11px; margin-left: 6px; cursor: pointer; }
"""

_SCRIPT = """
document.querySelectorAll('button[data-copy]').forEach(function (b) {
  b.addEventListener('click', function () {
    var t = document.getElementById(b.dataset.copy);
    t.select();
    (navigator.clipboard ? navigator.clipboard.writeText(t.value) : Promise.reject())
      .catch(function () { document.execCommand('copy'); })
      .finally(function () { b.textContent = 'copied'; setTimeout(function () {
        b.textContent = 'copy'; }, 1500); });
  });
});
"""


def build_gallery(out_dir: str | Path = "media/publish",
                  page: str | Path = "media/gallery/index.html") -> Path:
    """Write the gallery page for everything under `out_dir`; returns its path."""
    out_dir, page = Path(out_dir).resolve(), Path(page).resolve()
    page.parent.mkdir(parents=True, exist_ok=True)
    entries = collect_entries(out_dir) if out_dir.is_dir() else []
    sections: dict[str, list[str]] = {}
    for n, meta in enumerate(entries, start=1):
        label = f"{meta['_scene']} ({meta.get('scene_name', '')})"
        if meta.get("scene_doc"):
            label += f": {meta['scene_doc']}"
        sections.setdefault(label, []).append(_card(meta, page.parent, n))
    body = "".join(f'<h2>{html.escape(name)}</h2>\n<div class="grid">{"".join(cards)}\n</div>\n'
                   for name, cards in sections.items())
    if not entries:
        body = ("<p>Nothing rendered yet: run <code>gdviz render SCENE</code> or "
                "<code>gdviz batch FILE</code>, then <code>gdviz gallery</code>.</p>")
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
<p class="intro">{len(entries)} outputs in <code>{html.escape(_rel(out_dir, page.parent))}</code>.
Embed snippets name the files only: upload the video (and its poster) next to your page.</p>
{body}
<script>{_SCRIPT}</script>
</body>
</html>
"""
    tmp = page.with_name(page.name + ".partial")
    tmp.write_text(doc)
    os.replace(tmp, page)
    return page
