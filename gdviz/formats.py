"""Turning manim's render into files that play everywhere, and reading them back (PyAV).

* MP4: H.264 in yuv420p (what every browser and slide tool decodes), index (moov) at the front
  so that a browser starts playing before the download ends: `faststart` reuses
  `gdviz.parallel.join_videos`, a packet copy with ``movflags=+faststart``.
* GIF: one palette for the whole clip, chosen in a first pass over all frames (``palettegen``),
  then ordered (Bayer) dithering that only redraws the rectangle that changed
  (``paletteuse diff_mode=rectangle``): a static background costs nothing per frame. Frames are
  capped at 15 fps and 480 px on the short side, which is what keeps a 10 s clip small.
* WebM: manim writes VP9 itself (with an alpha plane for transparent renders).

Every writer writes a temporary name in the target folder and renames it into place, so that an
interrupted run never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from gdviz.parallel import join_videos

__all__ = [
    "GIF_MAX_FPS",
    "GIF_MAX_SHORT_SIDE",
    "VideoInfo",
    "copy_atomic",
    "decode_frames",
    "faststart",
    "gif_loops_forever",
    "mp4_boxes",
    "mp4_to_gif",
    "partial_path",
    "probe",
    "write_poster",
]

GIF_MAX_FPS = 15
GIF_MAX_SHORT_SIDE = 480


def partial_path(target: Path) -> Path:
    """The temporary name `target` is written under; it keeps the suffix, which names the muxer."""
    return target.with_name(f"{target.stem}.partial{target.suffix}")


def copy_atomic(src: Path, dst: Path) -> Path:
    """Copy `src` to `dst` through a temporary name; returns `dst`."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(dst)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst


def faststart(src: Path, dst: Path) -> Path:
    """Remux the MP4 `src` into `dst` with the index at the front (no re-encode)."""
    join_videos([src], dst)
    return dst


def mp4_boxes(path: Path) -> list[str]:
    """Names of the top-level boxes of an MP4, in file order (``moov`` before ``mdat`` = fast)."""
    names: list[str] = []
    with path.open("rb") as handle:
        while True:
            head = handle.read(8)
            if len(head) < 8:
                break
            size = int.from_bytes(head[:4], "big")
            names.append(head[4:8].decode("latin-1"))
            if size == 1:
                size = int.from_bytes(handle.read(8), "big") - 8
            elif size == 0:
                break
            handle.seek(size - 8, os.SEEK_CUR)
    return names


def gif_loops_forever(path: Path) -> bool:
    """Whether the GIF has the NETSCAPE2.0 loop extension with a count of 0 (forever)."""
    data = path.read_bytes()[:4096]
    i = data.find(b"NETSCAPE2.0")
    return i >= 0 and data[i + 13:i + 15] == b"\x00\x00"


@dataclass(frozen=True)
class VideoInfo:
    """What a decoder sees in a rendered file."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    duration: float
    frame_rate: float


def probe(path: Path) -> VideoInfo:
    """Codec, pixel format, size, duration (s) and frame rate of the first video stream."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        codec = video.codec_context
        if container.duration is not None:
            duration = container.duration / av.time_base
        elif video.duration is not None and video.time_base is not None:
            duration = float(video.duration * video.time_base)
        else:
            duration = 0.0
        rate = float(video.average_rate or video.guessed_rate or 0)
        return VideoInfo(codec=codec.name, pix_fmt=str(codec.format.name if codec.format else ""),
                         width=codec.width, height=codec.height, duration=float(duration),
                         frame_rate=rate)


def decode_frames(path: Path, *, alpha: bool = False) -> list[np.ndarray]:
    """All frames as arrays: RGB, or RGBA when `alpha` (WebM alpha needs libvpx's decoder).

    FFmpeg's own VP9 decoder ignores the alpha plane that WebM stores beside each frame; the
    libvpx decoder reads it.
    """
    fmt = "rgba" if alpha else "rgb24"
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if alpha and stream.codec_context.name == "vp9":
            codec = av.CodecContext.create("libvpx-vp9", "r")
            out = []
            for packet in container.demux(stream):
                for frame in codec.decode(packet):
                    out.append(frame.to_ndarray(format=fmt))
            return out
        return [frame.to_ndarray(format=fmt) for frame in container.decode(stream)]


def write_poster(video: Path, dst: Path, *, alpha: bool = False) -> Path:
    """Save the last frame of `video` as a PNG poster (the final state shows the most)."""
    frames = decode_frames(video, alpha=alpha)
    if not frames:
        raise ValueError(f"{video} has no frames")
    from PIL import Image

    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(dst)
    try:
        Image.fromarray(frames[-1]).save(tmp, format="PNG")
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst


def _gif_geometry(width: int, height: int, fps: float) -> tuple[int, int, Fraction]:
    short = min(width, height)
    scale = min(1.0, GIF_MAX_SHORT_SIDE / short)
    out_width, out_height = (width, height) if scale == 1.0 else (
        2 * round(width * scale / 2), 2 * round(height * scale / 2))
    rate = Fraction(fps).limit_denominator(1001)
    return out_width, out_height, min(rate, Fraction(GIF_MAX_FPS))


def _gif_filters(graph, src, *, width: int, height: int, rate: Fraction, in_size, in_rate):
    """Append the fps and scale filters that the GIF needs; returns the last filter."""
    node = src
    if rate < in_rate:
        stage = graph.add("fps", f"fps={rate.numerator}/{rate.denominator}")
        node.link_to(stage)
        node = stage
    if (width, height) != in_size:
        stage = graph.add("scale", f"w={width}:h={height}:flags=lanczos")
        node.link_to(stage)
        node = stage
    return node


def mp4_to_gif(src: Path, dst: Path) -> Path:
    """Encode the video `src` as a looping, palette-optimized GIF at `dst`.

    Two passes over `src`: the first builds one 256-colour palette from every frame, the second
    maps frames onto it. Unlike a single filter graph that splits the stream, nothing holds
    all frames in memory, so a long clip costs time, not RAM.
    """
    with av.open(str(src)) as reader:
        video = reader.streams.video[0]
        in_size = (video.codec_context.width, video.codec_context.height)
        in_rate = Fraction(video.average_rate or video.guessed_rate or 30)
    width, height, rate = _gif_geometry(*in_size, float(in_rate))

    # Pass 1: the palette. stats_mode=diff weighs the pixels that move (the path, the ball)
    # over the still background, which is solid and gets its colour anyway.
    with av.open(str(src)) as reader:
        video = reader.streams.video[0]
        graph = av.filter.Graph()
        buf = graph.add_buffer(template=video)
        last = _gif_filters(graph, buf, width=width, height=height, rate=rate,
                            in_size=in_size, in_rate=in_rate)
        gen = graph.add("palettegen", "stats_mode=diff")
        sink = graph.add("buffersink")
        last.link_to(gen)
        gen.link_to(sink)
        graph.configure()
        for frame in reader.decode(video):
            buf.push(frame)
        buf.push(None)
        palette = sink.pull()

    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(dst)
    try:
        with av.open(str(src)) as reader, av.open(str(tmp), "w", format="gif",
                                                  options={"loop": "0"}) as out:
            video = reader.streams.video[0]
            stream = out.add_stream("gif", rate=rate)
            stream.width, stream.height, stream.pix_fmt = width, height, "pal8"
            graph = av.filter.Graph()
            buf = graph.add_buffer(template=video)
            pal_buf = graph.add_buffer(width=palette.width, height=palette.height,
                                       format=palette.format.name, time_base=Fraction(1, 1))
            last = _gif_filters(graph, buf, width=width, height=height, rate=rate,
                                in_size=in_size, in_rate=in_rate)
            use = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
            sink = graph.add("buffersink")
            last.link_to(use, 0, 0)
            pal_buf.link_to(use, 0, 1)
            use.link_to(sink)
            graph.configure()
            palette.pts = 0
            pal_buf.push(palette)
            pal_buf.push(None)  # paletteuse keeps using the last palette it got
            time_base = Fraction(rate.denominator, rate.numerator)
            n = 0

            def drain() -> None:
                nonlocal n
                while True:
                    try:
                        frame = sink.pull()
                    except (av.error.BlockingIOError, av.error.EOFError):
                        return
                    frame.pts, frame.time_base = n, time_base
                    n += 1
                    out.mux(stream.encode(frame))

            for frame in reader.decode(video):
                buf.push(frame)
                drain()
            buf.push(None)
            drain()
            out.mux(stream.encode(None))
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst
