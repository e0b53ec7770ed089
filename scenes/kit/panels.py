"""The flat panels of the HUD: live numbers, the loss per step and the data with the fit.

Each takes its numbers from gdmath's results and only lays them out (pinned to the frame).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, MathTex, Mobject, VGroup, VMobject

from scenes.kit.axes import BoxAxes2D, scene_points, tick_step
from scenes.kit.render3d.numbers import FastDecimalNumber
from scenes.kit.sci import SciNumber, plain_number


@dataclass(frozen=True)
class PanelNotes:
    """Names and end numbers for a panel's axes.

    Attributes
    ----------
    x_name, y_name : str
        What the axes show (e.g. "step" and "loss"); TeX when `math_names`. `y_name` may be
        None where the panel is too short for it (its caption then names the panel).
    make_text : callable
        Makes a (muted) text of the panel's small size from a string.
    make_math : callable
        Makes TeX at the same size (for math names such as x and y).
    gap : float
        Between an axis and its numbers.
    math_names : bool
        Whether the names are TeX symbols rather than words.
    """

    x_name: str
    y_name: str | None
    make_text: Callable[[str], Mobject]
    make_math: Callable[[str], Mobject]
    gap: float
    math_names: bool = False


class NotedAxes(VGroup):
    """Box axes (meeting at the window's low corner) with numbers at their ends and names.

    The numbers and the names are made first and the plot takes what is left of
    `width` × `height`, so the whole panel keeps the size it is given.

    Parameters
    ----------
    x_range, y_range : (float, float)
        The window.
    x_ticks, y_ticks : float
        Tick steps.
    width, height : float
        Size of the whole panel, numbers and names included.
    notes : PanelNotes
        The names and how to write them.
    axes_color : str
        Axes and ticks.
    y_marks : sequence of float, optional
        The y values to number (default: the window's ends); x is numbered at its ends.
    """

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float],
                 x_ticks: float, y_ticks: float, width: float, height: float,
                 notes: PanelNotes, axes_color: str,
                 y_marks: Sequence[float] | None = None) -> None:
        make_name = notes.make_math if notes.math_names else notes.make_text
        y_marks = list(y_range if y_marks is None else y_marks)
        # Both axes start at 0: one 0 in the corner numbers both.
        shared_zero = x_range[0] == 0 and y_marks[0] == 0
        if shared_zero:
            y_marks = y_marks[1:]
        x_marks = list(x_range)
        self.x_name = make_name(notes.x_name)
        self.y_name = VGroup() if notes.y_name is None else make_name(notes.y_name)
        x_numbers = [notes.make_text(plain_number(value)) for value in x_marks]
        y_numbers = [notes.make_text(plain_number(value)) for value in y_marks]
        # The x name right of its axis, the y name above its axis; numbers below and left.
        left = max(number.width for number in y_numbers) + notes.gap
        right = self.x_name.width + notes.gap
        below = max(number.height for number in x_numbers) + notes.gap
        above = self.y_name.height + notes.gap if notes.y_name is not None else 0.0
        # Box axes: both meet at the window's low corner, as on the map.
        self.axes = BoxAxes2D(
            x_range=(*x_range, x_ticks), y_range=(*y_range, y_ticks),
            x_length=max(width - left - right, 0.2 * width),
            y_length=max(height - below - above, 0.2 * height),
            tips=False, axis_config={"color": axes_color, "stroke_width": 2},
        )
        corner = self.axes.c2p(x_range[0], y_range[0])
        self.x_name.next_to(self.axes.c2p(x_range[1], y_range[0]), RIGHT, buff=notes.gap)
        if notes.y_name is not None:
            self.y_name.next_to(self.axes.c2p(x_range[0], y_range[1]), UP, buff=notes.gap)
            self.y_name.align_to(corner, LEFT)
        # The end numbers stay inside the axes' span (the low ones clear of the corner).
        for number, value, edge in zip(x_numbers, x_marks, (LEFT, RIGHT), strict=True):
            number.next_to(self.axes.c2p(value, y_range[0]), DOWN, buff=notes.gap)
            number.align_to(self.axes.c2p(value, y_range[0]), edge)
        for number, value in zip(y_numbers, y_marks, strict=True):
            point = self.axes.c2p(x_range[0], value)
            number.next_to(point, LEFT, buff=notes.gap)
            if value == y_range[0]:
                number.align_to(point, DOWN)
            elif value == y_range[1]:
                number.align_to(point, UP)
        # A plot too small for both end numbers of an axis keeps the high one only.
        self.x_numbers = VGroup(*self._apart(x_numbers, 0, notes.gap))
        self.y_numbers = VGroup(*self._apart(y_numbers, 1, notes.gap))
        super().__init__(self.axes, self.x_numbers, self.y_numbers, self.x_name, self.y_name)

    @staticmethod
    def _apart(numbers: list[Mobject], dim: int, gap: float) -> list[Mobject]:
        """`numbers` (low to high along `dim`) if each clears the next by `gap`, else the last."""
        for low, high in itertools.pairwise(numbers):
            if low.get_edge_center(RIGHT if dim == 0 else UP)[dim] + gap > \
                    high.get_edge_center(LEFT if dim == 0 else DOWN)[dim]:
                return numbers[-1:]
        return numbers


class Readout(VGroup):
    """Live numbers as label and value pairs: step t, wₜ, bₜ, l(wₜ, bₜ) and η.

    Each pair is a TeX label with its "=" and a number; the word for t ("step") labels the first
    pair from the left. In one column (``columns=1``) the "=" signs line up. In two columns the
    pairs fill a grid row by row and l(wₜ, bₜ), the longest, gets a row of its own across both;
    each column is as wide as its widest value in `extremes` so that no number runs into its
    neighbour as the values change.

    Parameters
    ----------
    step_word : str
        The word that names t.
    eta : float
        The learning rate shown.
    font_size : float
        Of the labels and numbers.
    color : str
        Their colour.
    make_word : callable
        Makes the (muted) word from `step_word`.
    row_gap : float
        Between rows; the gap between columns is twice it.
    columns : {1, 2}
        The layout.
    extremes : sequence of (float, float, float, float), optional
        (t, w, b, l) values the numbers will take that are widest (e.g. the run's first, last,
        smallest and largest); the grid reserves their widths.
    """

    NAMES = (r"t", r"w_t", r"b_t", r"l(w_t, b_t)", r"\eta")
    VALUE_GAP = 0.12

    def __init__(
        self, step_word: str, eta: float, font_size: float, color: str, make_word: object,
        row_gap: float, columns: int = 1,
        extremes: Sequence[tuple[float, float, float, float]] = (),
    ) -> None:
        self.labels = VGroup(*(MathTex(name + "=", font_size=font_size, color=color)
                               for name in self.NAMES))
        # FastDecimalNumber: a DecimalNumber that updates every frame several times cheaper.
        # w, b, l in three decimals, or m × 10ᵏ past 10⁴ or under 10⁻³ (a diverging run, an
        # unscaled problem); η in significant figures (1.5 × 10⁻⁶, never 0.0000).
        self.numbers = VGroup(
            # No thousands comma: "1,400" read as a list, and its descender lowered the
            # number's centre, so re-centring it lifted the digits off the label's baseline.
            FastDecimalNumber(0, num_decimal_places=0, group_with_commas=False,
                              font_size=font_size, color=color),
            *(SciNumber(0, decimals=3, include_sign=True, font_size=font_size, color=color)
              for _ in range(3)),
            SciNumber(eta, decimals=None, font_size=font_size, color=color),
        )
        self.word = make_word(step_word)
        self.gap = row_gap
        widths = self._value_widths(extremes)
        pairs = []
        for lab, num in zip(self.labels, self.numbers, strict=True):
            num.next_to(lab, RIGHT, buff=self.VALUE_GAP)
            num.align_to(lab, DOWN)
            pairs.append(VGroup(lab, num))
        self.word.next_to(self.labels[0], LEFT, buff=self.VALUE_GAP)
        # On the label's baseline, not centred on it: "step" has a descender and "t" none. A
        # word's baseline is its glyphs' median bottom (a p's tail is not it); t's is its own.
        glyph_bottoms = [glyph.get_bottom()[1] for glyph in self.word.family_members_with_points()]
        label_base = self.labels[0].family_members_with_points()[0].get_bottom()[1]
        self.word.shift((label_base - float(np.median(glyph_bottoms))) * UP)
        pairs[0].add(self.word)
        self.pairs = pairs
        if columns == 1:
            self._one_column(pairs)
        else:
            self._grid(pairs, widths)
        super().__init__(*pairs)

    def _value_widths(self, extremes: Sequence[tuple[float, float, float, float]]) -> list[float]:
        """The widest each of the five numbers gets over `extremes` (its current width if none)."""
        widths = [num.width for num in self.numbers]
        for values in extremes:
            for index, value in enumerate(values):
                self.numbers[index].set_value(value)
                widths[index] = max(widths[index], self.numbers[index].width)
        return widths

    def _one_column(self, pairs: list[VGroup]) -> None:
        rows = VGroup(*pairs).arrange(DOWN, aligned_edge=LEFT, buff=self.gap)
        # Line up the "=" signs: shift each row so that its label's right edge is the same.
        right = max(lab.get_right()[0] for lab in self.labels)
        for row, lab in zip(rows, self.labels, strict=True):
            row.shift((right - lab.get_right()[0]) * RIGHT)

    def _grid(self, pairs: list[VGroup], widths: list[float]) -> None:
        """Rows of the grid: step t | η, wₜ | bₜ, then l(wₜ, bₜ) across; columns left-aligned."""
        cells = [[0, 4], [1, 2], [3]]
        heights = [max(pairs[index].height for index in row) for row in cells]
        # The first column is as wide as its widest pair with its widest value.
        first_width = max(pairs[row[0]].width - self.numbers[row[0]].width + widths[row[0]]
                          for row in cells if len(row) > 1)
        left_x = [0.0, first_width + 2 * self.gap]
        top = 0.0
        for row, height in zip(cells, heights, strict=True):
            for column, index in enumerate(row):
                pair = pairs[index]
                # Pairs start at their label ("step" of the first sticks out to the left).
                lab_left = self.labels[index].get_left()[0]
                if index == 0:
                    lab_left = self.word.get_left()[0]
                pair.shift((left_x[column] - lab_left) * RIGHT
                           + (top - height / 2 - pair.get_center()[1]) * UP)
            top -= height + self.gap

    def set_values(self, t: int, w: float, b: float, l: float) -> Readout:  # noqa: E741
        """Show the current iterate (nothing is laid out again when it is the one shown)."""
        shown = (t, w, b, l)
        if shown == self.__dict__.get("_shown"):
            return self
        self._shown = shown
        for num, lab, value in zip(self.numbers[:4], self.labels[:4], shown, strict=True):
            left = num.get_left()[0]
            num.set_value(value)
            # Left edge kept, bottom on the label's as laid out: re-centring on the old centre
            # moved the digits up or down with each new glyph's height.
            num.shift((left - num.get_left()[0]) * RIGHT)
            num.align_to(lab, DOWN)
        return self


class LossCurve(VGroup):
    """l(wₜ, bₜ) against t, growing as the ball rolls.

    Parameters
    ----------
    losses : ndarray, shape (k + 1,)
        gdmath's `Trajectory.loss`.
    y_max : float
        Top of the plot; larger losses (a diverging run) are clipped to it.
    width, height : float
        Size of the plot (of the whole panel, numbers and names included, with `notes`).
    color, axes_color : str
        Curve and axes colours.
    notes : PanelNotes, optional
        Name the axes and number their ends (the loss at 0 and at the highest round tick).
    """

    def __init__(
        self, losses: np.ndarray, y_max: float, width: float, height: float, color: str,
        axes_color: str, stroke_width: float, dot_radius: float,
        notes: PanelNotes | None = None,
    ) -> None:
        n = max(len(losses) - 1, 1)
        parts: list[Mobject] = []
        if notes is None:
            self.axes = Axes(
                x_range=(0, n, max(n // 5, 1)), y_range=(0, y_max, y_max / 4), x_length=width,
                y_length=height, tips=False,
                axis_config={"color": axes_color, "stroke_width": 2, "include_ticks": True},
            )
            parts.append(self.axes)
        else:
            # Ticks at round losses; the highest one under the top is numbered.
            y_step = tick_step(y_max, 4)
            top_mark = float(np.floor(y_max / y_step + 1e-9) * y_step)
            noted = NotedAxes((0, n), (0.0, y_max), tick_step(n, 5), y_step, width, height,
                              notes, axes_color, y_marks=(0.0, top_mark))
            self.axes = noted.axes
            parts.append(noted)
        self.values = np.minimum(np.asarray(losses, dtype=float), y_max)
        self.curve = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.dot = Dot(radius=dot_radius, color=color)
        super().__init__(*parts, self.curve, self.dot)
        self.set_progress(0.0)

    def set_progress(self, progress: float) -> LossCurve:
        """Show the curve up to step `progress` (fractional: the last piece grows linearly)."""
        k = int(np.floor(progress))
        t = np.arange(k + 1, dtype=float)
        y = self.values[: k + 1]
        if progress > k and k + 1 < len(self.values):
            fraction = progress - k
            t = np.append(t, progress)
            y = np.append(y, y[-1] + fraction * (self.values[k + 1] - y[-1]))
        pts = scene_points(self.axes, t, y)
        if len(pts) >= 2:
            self.curve.set_points_as_corners(pts)
        else:
            self.curve.set_points_as_corners(np.repeat(pts, 2, axis=0))
        self.dot.move_to(pts[-1])
        return self


class DataPanel(VGroup):
    """The training points and the current fit φ(w·x + b) in data space.

    Parameters
    ----------
    x, y : ndarray
        Training data.
    x_range, y_range : (float, float)
        Plot window.
    width, height : float
        Size of the plot (of the whole panel, numbers and names included, with `notes`).
    notes : PanelNotes, optional
        Name the axes and number the window's ends.
    """

    def __init__(
        self, x: np.ndarray, y: np.ndarray, x_range: tuple[float, float],
        y_range: tuple[float, float], width: float, height: float, data_color: str,
        fit_color: str, axes_color: str, dot_radius: float, stroke_width: float,
        notes: PanelNotes | None = None,
    ) -> None:
        self.y_range = y_range
        steps = ((x_range[1] - x_range[0]) / 4, (y_range[1] - y_range[0]) / 4)
        if notes is None:
            self.axes = Axes(
                x_range=(*x_range, steps[0]), y_range=(*y_range, steps[1]),
                x_length=width, y_length=height, tips=False,
                axis_config={"color": axes_color, "stroke_width": 2},
            )
            frame: Mobject = self.axes
        else:
            frame = NotedAxes(x_range, y_range, *steps, width, height, notes, axes_color)
            self.axes = frame.axes
        self.dots = VGroup(*(Dot(point, radius=dot_radius, color=data_color)
                             for point in scene_points(self.axes, x, y)))
        self.fit = VMobject(stroke_color=fit_color, stroke_width=stroke_width)
        super().__init__(frame, self.fit, self.dots)

    def set_fit(self, x_values: np.ndarray, y_values: np.ndarray) -> DataPanel:
        """Draw the model's curve through (xs, ys) (gdmath's `Problem.predict`), clipped."""
        lo, hi = self.y_range
        inside = (y_values >= lo) & (y_values <= hi)
        if inside.sum() < 2:
            self.fit.clear_points()
            return self
        # The longest run of points inside the window: φ is monotone, so there is one run, and
        # a curve leaving the panel is cut at its edge instead of running along it.
        idx = np.flatnonzero(inside)
        runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
        run = max(runs, key=len)
        self.fit.set_points_as_corners(scene_points(self.axes, x_values[run], y_values[run]))
        return self
