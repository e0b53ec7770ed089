"""Parsed glyphs kept on disk beside their SVG, so that a new render does not parse them again.

Every `Text` and `MathTex` is an SVG (from Pango or from LaTeX, both already cached on disk by
manim) that manim parses with ``svgelements`` and turns into paths: about a tenth of a second
for a caption, several seconds for the fifty-odd texts of the main video, paid again by every
process of a render (the plan's dry run, then each part of a parallel render). Manim keeps the
parsed result in memory for the rest of one process (``SVG_HASH_TO_MOB_MAP``); this keeps it on
disk too, as a pickle next to the SVG, and loads it in about a tenth of the time.

The key is a hash of what manim's own memory cache is keyed on, with the SVG file's name
replaced by its bytes (its name depends on the media folder), and of manim's version: a changed
SVG, style or manim writes a new file, never reads a stale one. A file that cannot be read is
parsed again as before. Writes go through a temporary file and a rename, so the processes of a
parallel render never read half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import manim
from manim import config
from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP, SVGMobject
from manim.utils.iterables import hash_obj

__all__ = ["disk_key", "keep_parsed_svgs"]

#: Bumped when what is stored changes shape.
FORMAT = 1
_SUFFIX = ".parsed.pickle"
_manims_init_svg_mobject = SVGMobject.init_svg_mobject


def disk_key(mob: SVGMobject, svg_bytes: bytes) -> str:
    """A hash of what the parsed glyphs depend on, stable across processes and media folders."""
    seed = (type(mob).__name__, mob.svg_default, mob.path_string_config, str(config.renderer),
            manim.__version__, FORMAT)
    digest = hashlib.sha256(repr(seed).encode())
    digest.update(svg_bytes)
    return digest.hexdigest()[:24]


def _store_path(mob: SVGMobject) -> Path | None:
    """Where `mob`'s parsed glyphs are kept (None: no SVG file to key them on)."""
    try:
        svg_path = Path(mob.get_file_path())
        key = disk_key(mob, svg_path.read_bytes())
        return svg_path.with_name(f"{svg_path.name}.{key}{_SUFFIX}")
    except (OSError, ValueError):
        return None


def _cached_init_svg_mobject(self: SVGMobject, use_svg_cache: bool) -> SVGMobject:
    """Manim's ``init_svg_mobject``, reading the parsed glyphs from a file beside the SVG.

    ``Text`` does not use manim's memory cache (``use_svg_cache=False``); the file serves it
    all the same, since its key holds everything the parse depends on.
    """
    hash_val = hash_obj(self.hash_seed) if use_svg_cache else None
    store = None
    if hash_val is None or hash_val not in SVG_HASH_TO_MOB_MAP:
        store = _store_path(self)
    if store is None:  # manim's own memory hit, or nothing to key a file on
        return _manims_init_svg_mobject(self, use_svg_cache)
    loaded = _load(store)
    if loaded is None:
        _manims_init_svg_mobject(self, use_svg_cache)
        _save(store, (self.submobjects, self.id_to_vgroup_dict))
        return self
    submobjects, groups = loaded
    self.add(*submobjects)
    self.id_to_vgroup_dict = groups
    if hash_val is not None:
        SVG_HASH_TO_MOB_MAP[hash_val] = self.copy()
    return self


def _load(path: Path) -> tuple[list[Any], dict[str, Any]] | None:
    try:
        with path.open("rb") as handle:
            parsed = pickle.load(handle)
    except Exception:  # missing, damaged or foreign: parse the SVG again
        return None
    if (not isinstance(parsed, tuple) or len(parsed) != 2 or not isinstance(parsed[0], list)
            or not isinstance(parsed[1], dict)):
        return None
    return parsed


def _save(path: Path, parsed: tuple[list[Any], dict[str, Any]]) -> None:
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        handle_no, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle_no, "wb") as handle:
                pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def keep_parsed_svgs() -> None:
    """Back manim's in-memory cache of parsed SVGs with files beside the SVGs (idempotent)."""
    SVGMobject.init_svg_mobject = _cached_init_svg_mobject
