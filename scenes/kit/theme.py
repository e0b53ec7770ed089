"""What a scene reads to be published: the colour theme, the frame's shape, its key moments.

``gdviz render`` (and ``batch``/``stills``) runs manim with

* ``GDVIZ_THEME=dark|light`` in the environment: `current_theme` returns the palette, and
  `use_theme` applies it (background, default colour of text, TeX and axes);
* a pixel size of the chosen aspect ratio (16:9, 1:1 or 9:16) with ``frame_height = 8`` and
  ``frame_width = 8 · W / H``: `current_frame` describes that frame and `fit_in_frame` /
  `arrange_for_frame` lay panels side by side on a wide frame and stacked on a tall one, shrunk
  so that nothing is clipped;
* ``gdviz stills`` renders the end of each animation named in the scene's ``KEY_MOMENTS``
  (``{"valley": 7, "map": 15}``, animation indices counted from 0, negative from the end), a
  class attribute or filled while the scene plays with `mark_key_moment`.

This module only reads manim's config and the environment; it never renders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from manim import DOWN, RIGHT, Mobject, VGroup, config

from scenes.kit.env import read_theme_name

if TYPE_CHECKING:
    from scenes.kit.settings.story import Settings

__all__ = [
    "DARK",
    "LIGHT",
    "THEMES",
    "Frame",
    "Theme",
    "arrange_for_frame",
    "contrast_ratio",
    "current_frame",
    "current_theme",
    "fit_in_frame",
    "hex_rgb",
    "mark_key_moment",
    "outline_text",
    "themed_settings",
    "use_theme",
]

@dataclass(frozen=True)
class Theme:
    """The colours of one theme, as hex strings.

    The roles follow `scenes.kit.settings.story.Colors`, so a scene swaps ``SETTINGS.colors.X`` for
    ``current_theme().X``. ``surface`` is the colour map of the loss surface, low to high.
    """

    name: str
    background: str
    text: str
    muted: str
    axes: str
    ball: str
    trail: str
    cross: str
    gradient: str
    step: str
    contour: str
    level_line: str
    right_angle: str
    floor: str
    data: str
    fit: str
    diverged: str
    surface: tuple[str, ...]
    # The step arrow being explained on the map (it must stand out from the other steps).
    highlight: str


# Viridis (dark purple to green-yellow) reads on both backgrounds; the light theme drops the
# palest stop, which would melt into a white page.
_VIRIDIS = ("#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884",
            "#44bf70", "#7ad151")

DARK = Theme(
    name="dark",
    background="#0d1117",
    text="#e6edf3",
    muted="#8b949e",
    axes="#c9d1d9",
    ball="#ffd43b",
    trail="#ffd43b",
    cross="#ff3b3b",
    gradient="#ff3b3b",
    step="#ffd43b",
    contour="#58a6ff",
    level_line="#ff922b",
    right_angle="#ffffff",
    floor="#ff4d9d",
    data="#74c0fc",
    fit="#ffd43b",
    diverged="#ff6b6b",
    surface=_VIRIDIS,
    highlight="#ffffff",
)

# On white, yellow and pastel lines vanish: every accent here has a contrast of at least 3:1
# against the background (WCAG's minimum for graphics) and text at least 7:1.
LIGHT = Theme(
    name="light",
    background="#fbfbf8",
    text="#1f2328",
    muted="#57606a",
    axes="#24292f",
    ball="#d9480f",
    trail="#d9480f",
    cross="#c92a2a",
    gradient="#c92a2a",
    step="#d9480f",
    contour="#1864ab",
    level_line="#7048e8",
    right_angle="#1f2328",
    floor="#c2255c",
    data="#1864ab",
    fit="#d9480f",
    diverged="#c92a2a",
    surface=_VIRIDIS[:-1],
    highlight="#1f2328",
)

THEMES: dict[str, Theme] = {"dark": DARK, "light": LIGHT}


def current_theme(environ: Mapping[str, str] | None = None) -> Theme:
    """The theme named by ``GDVIZ_THEME`` (default ``dark``; `scenes.kit.env`).

    Raises
    ------
    gdmath.ConfigError
        If the variable names no theme (a `ValueError`).
    """
    return THEMES[read_theme_name(environ)]


def use_theme(scene: object | None = None, theme: Theme | None = None) -> Theme:
    """Apply `theme` (default: `current_theme`) to manim and return it.

    Sets the background (manim's config and, when given, ``scene.camera``) and the default
    colour of text, TeX, numbers and axes, so that mobjects made without an explicit colour
    read on the background. Call it first thing in ``construct``.
    """
    from manim import (
        DecimalNumber,
        Integer,
        MarkupText,
        MathTex,
        NumberLine,
        SingleStringMathTex,
        Tex,
        Text,
    )

    theme = current_theme() if theme is None else theme
    config.background_color = theme.background
    camera = getattr(scene, "camera", None)
    if camera is not None:
        camera.background_color = theme.background
        # The camera filled its background pixels when it was made: refill them.
        if hasattr(camera, "init_background"):
            camera.init_background()
    for cls in (Text, MarkupText, Tex, MathTex, SingleStringMathTex, DecimalNumber, Integer):
        cls.set_default(color=theme.text)
    NumberLine.set_default(color=theme.axes)
    outline_text(theme.background if config.transparent else None)
    return theme


#: The outline (colour, width) every text gets as it is made, or None (`outline_text`).
_TEXT_OUTLINE: list[tuple[str, float] | None] = [None]


def outline_text(color: str | None, width: float | None = None) -> None:
    """Outline every Text, MarkupText, Tex and MathTex made from now on (None: no outline).

    A transparent video or still is laid over a page of any colour: the dark theme's pale text
    vanishes on a white page, the light theme's dark text on a black one. Outlined in its
    theme's background colour (a background stroke, behind the fill), text reads on both. The
    width is `Sizes.transparent_outline`. Numbers are made of
    TeX glyphs, so they are outlined too, also the digits a number makes when it changes.
    """
    from manim import DecimalNumber, Integer, MarkupText, MathTex, SingleStringMathTex, Tex, Text

    from scenes.kit.settings.story import SETTINGS

    _TEXT_OUTLINE[0] = None if color is None else (
        color, SETTINGS.sizes.transparent_outline if width is None else width)
    # A number restyles its digits with its own background stroke when it is made.
    for cls in (DecimalNumber, Integer):
        cls.set_default(background_stroke_color=color or "#000000",
                        background_stroke_width=0.0 if color is None else _TEXT_OUTLINE[0][1])
    for cls in (Text, MarkupText, SingleStringMathTex, MathTex, Tex):
        if "_gdviz_outlined" in vars(cls):
            continue
        made = cls.__init__

        def init(self: Mobject, *args: object, _made: object = made,
                 **kwargs: object) -> None:
            _made(self, *args, **kwargs)
            outline = _TEXT_OUTLINE[0]
            if outline is not None:
                self.set_stroke(outline[0], width=outline[1], background=True)

        cls.__init__ = init
        cls._gdviz_outlined = True


def hex_rgb(color: str) -> tuple[float, float, float]:
    """``"#rrggbb"`` (the ``#`` optional) as three floats in [0, 1]."""
    digits = color.lstrip("#")
    return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 (same) to 21 (black on white)."""

    def luminance(hex_color: str) -> float:
        rgb = hex_rgb(hex_color)
        lin = [channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
               for channel in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(first), luminance(second)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class Frame:
    """The visible frame in manim units (``height`` is 8 at every aspect ratio)."""

    width: float
    height: float

    @property
    def aspect(self) -> float:
        """Width over height: 16/9, 1 or 9/16."""
        return self.width / self.height

    @property
    def orientation(self) -> str:
        """``landscape``, ``square`` or ``portrait`` (within 5 % of 1 counts as square)."""
        if self.aspect > 1.05:
            return "landscape"
        return "portrait" if self.aspect < 1 / 1.05 else "square"


def current_frame() -> Frame:
    """The frame manim renders now (gdviz sets ``frame_width = 8 · W / H``)."""
    return Frame(width=float(config.frame_width), height=float(config.frame_height))


def fit_in_frame(mobject: Mobject, buff: float = 0.3, *, center: bool = True) -> Mobject:
    """Shrink `mobject` (never grow it) until it fits the frame with `buff` on every side.

    Use it on anything laid out for the 14.2-unit-wide landscape frame: on a 4.5-unit-wide
    portrait frame it is scaled down instead of clipped.
    """
    frame = current_frame()
    avail_w, avail_h = frame.width - 2 * buff, frame.height - 2 * buff
    width, height = mobject.width, mobject.height
    factor = min(1.0, avail_w / width if width > 0 else 1.0,
                 avail_h / height if height > 0 else 1.0)
    if factor < 1.0:
        mobject.scale(factor)
    if center:
        mobject.move_to([0.0, 0.0, 0.0])
    return mobject


def arrange_for_frame(*panels: Mobject, buff: float = 0.5, edge_buff: float = 0.3) -> VGroup:
    """Group `panels` side by side on a landscape frame, stacked on a square or portrait one.

    The group is centred and shrunk to fit (`fit_in_frame`); returns it.
    """
    group = VGroup(*panels)
    direction = RIGHT if current_frame().orientation == "landscape" else DOWN
    group.arrange(direction, buff=buff)
    return fit_in_frame(group, edge_buff)


def mark_key_moment(scene: object, name: str) -> None:
    """Name the animation just played as a key moment (a still of ``gdviz stills``).

    Call it right after the ``play``/``wait`` whose last frame is the moment; the index is
    counted the way manim's ``-n`` counts, so it is right for any preset.
    """
    moments = dict(getattr(scene, "KEY_MOMENTS", None) or {})
    moments[name] = scene.renderer.num_plays - 1  # type: ignore[attr-defined]
    scene.KEY_MOMENTS = moments  # type: ignore[attr-defined]


def _hex_stops(stops: Sequence[tuple[float, float, float]]) -> tuple[str, ...]:
    return tuple("#" + "".join(f"{round(channel * 255):02x}" for channel in rgb) for rgb in stops)


def themed_settings(settings: Settings, theme: Theme) -> Settings:
    """`settings` with the colours of `theme`: every colour role and the surface's colour map.

    A colour map that the theme lists as the hex rounding of the settings' own stops keeps the
    settings' full-precision stops, so the dark theme draws exactly what it drew before.
    """
    roles = {role.name: getattr(theme, role.name) for role in dataclasses.fields(settings.colors)
             if isinstance(getattr(theme, role.name, None), str)}
    stops = settings.mesh.colormap
    if _hex_stops(stops) != tuple(color.lower() for color in theme.surface):
        stops = tuple(hex_rgb(color) for color in theme.surface)
    return dataclasses.replace(
        settings, colors=dataclasses.replace(settings.colors, **roles),
        mesh=dataclasses.replace(settings.mesh, colormap=stops))
