"""A tiny 2D scene that follows the publishing contract (scenes.kit.theme)."""

from manim import (
    DOWN,
    Axes,
    Create,
    Dot,
    Ellipse,
    FadeIn,
    Scene,
    Text,
    TracedPath,
    VGroup,
)

from scenes.kit.theme import arrange_for_frame, fit_in_frame, mark_key_moment, use_theme


class PublishDemo(Scene):
    """A level-line map with a moving dot, then a loss plot: laid out for any aspect ratio."""

    def construct(self):
        """Title, map, path (moment "map"), plot (moment "plot")."""
        theme = use_theme(self)
        title = Text("Gradient descent", font_size=40)
        colors = (theme.contour, theme.level_line) * 2
        rings = VGroup(*[Ellipse(width=3.2 * k, height=1.8 * k, color=c, stroke_width=3)
                         for k, c in zip((0.35, 0.6, 0.85, 1.1), colors, strict=True)])
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 3, 1], x_length=3.6, y_length=2.2)
        curve = axes.plot(lambda x: 2.8 / (1 + x * x), color=theme.fit)
        body = arrange_for_frame(rings, VGroup(axes, curve))
        layout = fit_in_frame(VGroup(title, body).arrange(DOWN, buff=0.35))
        self.play(FadeIn(title), Create(rings), run_time=0.6)
        dot = Dot(rings[-1].point_from_proportion(0.1), color=theme.ball)
        trail = TracedPath(dot.get_center, stroke_color=theme.trail, stroke_width=3)
        self.add(trail, dot)
        self.play(dot.animate.move_to(rings[1].point_from_proportion(0.15)), run_time=0.6)
        self.play(dot.animate.move_to(rings.get_center()), run_time=0.6)
        mark_key_moment(self, "map")
        self.play(Create(axes), Create(curve), run_time=0.6)
        mark_key_moment(self, "plot")
        self.wait(0.2)
        assert layout.width <= self.camera.frame_width
