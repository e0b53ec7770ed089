"""Numbers on screen in significant figures, with scientific notation where a fixed point fails.

Real data puts η at 1.5 × 10⁻⁶ and a diverging loss at 10²⁷: a fixed number of decimals shows
``0.0000`` for the first and a 30-digit string for the second. `tex_number` writes static
labels; `SciNumber` is the live readout, a fast decimal mantissa plus a cached "× 10ᵏ" tail, so
a new value every frame still costs only a glyph copy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import DOWN, RIGHT, MathTex, VGroup, VMobject

from scenes.kit.render3d.numbers import FastDecimalNumber, light_copy

__all__ = ["SciNumber", "plain_number", "sci_parts", "tex_number"]

#: From this magnitude on, and below `SMALL`, numbers are written as m × 10ᵏ.
BIG = 1.0e4
SMALL = 1.0e-3


def sci_parts(value: float, sig: int = 3) -> tuple[float, int | None, int]:
    """(mantissa, exponent or None, decimals) that show `value` with `sig` significant figures.

    The exponent is None when `value` reads well in fixed point (between `SMALL` and `BIG` in
    magnitude, or zero); decimals are then just enough for `sig` figures, without trailing
    zeros.
    """
    if not math.isfinite(value) or value == 0.0:
        return value, None, 0
    mag = abs(value)
    exponent = math.floor(math.log10(mag))
    if SMALL <= mag < BIG:
        # Decimals for `sig` figures, without trailing zeros; none past the point for 1400
        # (``:g`` would write 1.4e+03 there).
        text = f"{value:.{max(0, sig - 1 - exponent)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return value, None, len(text.split(".")[1]) if "." in text else 0
    mantissa = round(value / 10.0**exponent, sig - 1)
    if abs(mantissa) >= 10.0:  # 9.996 rounds up to 10.0
        mantissa, exponent = mantissa / 10.0, exponent + 1
    return mantissa, exponent, sig - 1


def plain_number(value: float, sig: int = 3) -> str:
    """`value` as plain text with `sig` significant figures: ``1400``, ``0.5``, ``1.5e7``.

    For tick numbers set as `Text` (the text fonts have no superscript digits); a true minus.
    """
    mantissa, exponent, decimals = sci_parts(value + 0.0, sig)  # + 0.0: no "-0"
    words = f"{mantissa:.{decimals}f}"
    if exponent is not None:
        words = f"{words.rstrip('0').rstrip('.')}e{exponent}"
    return words.replace("-", "\u2212")


def tex_number(value: float, sig: int = 3) -> str:
    r"""`value` in TeX with `sig` significant figures: ``0.1``, ``1.5 \times 10^{-6}``."""
    mantissa, exponent, decimals = sci_parts(value + 0.0, sig)  # + 0.0: no "-0"
    if exponent is None:
        return f"{mantissa:.{decimals}f}"
    digits = f"{mantissa:.{decimals}f}".rstrip("0").rstrip(".")
    return rf"{digits} \times 10^{{{exponent}}}"


_TAILS: dict[tuple[int, float, Any], MathTex] = {}


class SciNumber(VGroup):
    """A live number: fixed point in the ordinary range, m × 10ᵏ outside it.

    Parameters
    ----------
    value : float
        The first value.
    decimals : int or None
        Decimals in the ordinary range (a steady column for values that change every frame);
        None: just enough for `sig` significant figures.
    sig : int
        Significant figures of the mantissa in scientific notation (and of the fixed point when
        `decimals` is None).
    include_sign, font_size, color
        As for `DecimalNumber`.
    """

    def __init__(self, value: float, decimals: int | None = 3, sig: int = 3,
                 include_sign: bool = False, font_size: float = 48, color: Any = None) -> None:
        self.decimals, self.sig = decimals, sig
        self.mantissa = FastDecimalNumber(value, num_decimal_places=decimals or 0,
                                          include_sign=include_sign, font_size=font_size,
                                          color=color)
        self.tail: VMobject = VGroup()
        self._exponent: int | None = None
        self._font_size, self._color = font_size, color
        self.value = float(value)
        super().__init__(self.mantissa, self.tail)
        self.set_value(value)

    def get_value(self) -> float:
        """The value shown (unrounded)."""
        return self.value

    def set_value(self, value: float) -> SciNumber:
        """Show `value`, keeping the left edge where it is."""
        self.value = float(value)
        anchor = self.mantissa.get_left()
        mantissa, exponent, decimals = sci_parts(self.value, self.sig)
        if exponent is None and self.decimals is not None:
            mantissa, decimals = self.value, self.decimals
        self.mantissa.num_decimal_places = decimals
        self.mantissa.set_value(mantissa)
        self.mantissa.move_to(anchor, aligned_edge=np.array([-1.0, 0.0, 0.0]))
        if exponent != self._exponent:
            # A new tail, not `become`: an empty tail must leave no points behind to measure.
            self._exponent = exponent
            # As manim does for a number's old glyphs: Cairo may still draw the old tail this
            # frame (an animation lists the family it renders when it begins), so blank it.
            for mob in self.tail.get_family():
                mob.points = np.zeros((0, 3))
            self.remove(self.tail)
            self.tail = self._tail_for(exponent) if exponent is not None else VGroup()
            self.add(self.tail)
        if exponent is not None:
            self.tail.next_to(self.mantissa, RIGHT, buff=0.06, aligned_edge=DOWN)
        return self

    def _tail_for(self, exponent: int) -> VMobject:
        key = (exponent, self._font_size, str(self._color))
        if key not in _TAILS:
            _TAILS[key] = MathTex(rf"\times 10^{{{exponent}}}", font_size=self._font_size,
                                  color=self._color)
        return light_copy(_TAILS[key])
