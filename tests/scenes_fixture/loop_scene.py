"""A 10-second loop like the contour map (level lines, a zig-zag path, step arrows): GIF size."""

import itertools

import numpy as np
from manim import Arrow, Dot, Ellipse, Scene, TracedPath, VGroup, linear

from scenes.kit.theme import use_theme


class Loop(Scene):
    """Twelve level lines; a dot zig-zags to the centre leaving its path; it returns."""

    def construct(self):
        """Ten seconds: eight steps in, then back to the start so that the GIF loops."""
        theme = use_theme(self)
        colors = theme.surface
        rings = VGroup(*[Ellipse(width=12.5 * k, height=6.5 * k, stroke_width=3,
                                 color=colors[i % len(colors)])
                         for i, k in enumerate(np.linspace(0.08, 1.0, 12))]).rotate(0.35)
        self.add(rings)
        start = np.array([-5.2, -2.0, 0.0])
        points = [start * (0.82 ** k) * np.array([1.0, (-1.0) ** k, 1.0]) for k in range(9)]
        dot = Dot(points[0], color=theme.ball, radius=0.12)
        trail = TracedPath(dot.get_center, stroke_color=theme.trail, stroke_width=4)
        self.add(trail, dot)
        arrows = VGroup()
        for a, b in itertools.pairwise(points):
            arrow = Arrow(a, b, buff=0, color=theme.step, stroke_width=3)
            arrows.add(arrow)
            self.add(arrow)
            self.play(dot.animate.move_to(b), run_time=1.0, rate_func=linear)
        self.remove(*arrows)
        trail.clear_updaters()
        self.play(dot.animate.move_to(points[0]), trail.animate.set_opacity(0), run_time=2.0)
