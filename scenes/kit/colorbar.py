"""The loss scale: the surface's colours against the loss, with numbers (a colour bar)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import DOWN, LEFT, UP, Line, ManimColor, MathTex, Mobject, Rectangle, VGroup

from scenes.kit.axes import tick_step
from scenes.kit.mobjects import colormap_rgb, height_fraction
from scenes.kit.sci import tex_number
from scenes.kit.settings.story import RGB

__all__ = ["LossScale"]


class LossScale(VGroup):
    """A horizontal bar coloured as the surface is at each loss, ticks and numbers below.

    Position along the bar is linear in the loss; the colour at each place is the colour the
    surface has at that height (`height_fraction`, the same map as `make_mesh_surface`), so the
    bar reads the surface's colours back as numbers.

    Parameters
    ----------
    l_range : (float, float)
        The loss axis (the surface's colour range).
    stops : sequence of RGB
        The surface's colour map.
    width, height : float
        Size of the bar.
    title : Mobject
        The bar's name ("loss l"), placed above its left end, or left of the bar when
        `title_beside` (a scale one line high, for a frame short of height).
    number : callable
        Makes the Mobject of one tick number from its text.
    color : str
        Ticks' colour.
    cells : int
        Number of colour cells the bar is made of.
    title_beside : bool
        Put the title left of the bar instead of above it.
    title_gap : float
        Between the title and the bar.
    number_gap : float
        Least room between two numbers; a number that would come closer is left out (its
        tick stays); ``-inf`` keeps every number.
    """

    def __init__(self, l_range: tuple[float, float], stops: Sequence[RGB], width: float,
                 height: float, title: Mobject, number: Callable[[str], Mobject], color: str,
                 cells: int = 48, title_beside: bool = False, title_gap: float = 0.08,
                 number_gap: float = 0.12) -> None:
        lo, hi = l_range
        edges = np.linspace(0.0, width, cells + 1)
        mids = lo + (hi - lo) * (0.5 * (edges[:-1] + edges[1:])) / width
        rgbs = colormap_rgb(height_fraction(mids, l_range), stops)
        bar = VGroup()
        for left, right, rgb in zip(edges[:-1], edges[1:], rgbs, strict=True):
            # A hair of overlap hides the seams between cells.
            cell = Rectangle(width=right - left + 0.004, height=height, stroke_width=0,
                             fill_opacity=1.0,
                             fill_color=ManimColor([float(channel) for channel in rgb]))
            cell.move_to([0.5 * (left + right), 0.0, 0.0])
            bar.add(cell)
        step = tick_step(hi - max(lo, 0.0), 4)
        values = np.arange(np.ceil(lo / step) * step, hi + 1e-9 * step, step)
        ticks, numbers = VGroup(), VGroup()
        for value in values:
            x = (value - lo) / (hi - lo) * width
            tick = Line([x, -0.5 * height, 0.0], [x, -0.5 * height - 0.4 * height, 0.0],
                        color=color, stroke_width=2.0)
            label = number(tex_number(0.0 if abs(value) < 1e-9 * step else value))
            label.next_to(tick, DOWN, buff=0.05)
            ticks.add(tick)
            # Wide numbers (1.5 × 10⁷) would touch: every tick stays, a number only where it
            # clears the last one numbered.
            if not numbers or label.get_left()[0] > numbers[-1].get_right()[0] + number_gap:
                numbers.add(label)
        self.values = values
        self.bar, self.ticks, self.numbers, self.title = bar, ticks, numbers, title
        if title_beside:
            title.next_to(bar, LEFT, buff=title_gap)
        else:
            title.next_to(bar, UP, buff=title_gap, aligned_edge=LEFT)
        super().__init__(bar, ticks, numbers, title)


def scale_numbers(font_size: float, color: str) -> Callable[[str], MathTex]:
    """Tick numbers of the loss scale in TeX, like the other numbers of the videos."""
    return lambda text: MathTex(text, font_size=font_size, color=color)
