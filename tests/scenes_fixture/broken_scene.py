"""A scene that fails on purpose after one animation, for batch error reporting."""

from manim import Circle, Create, Scene


class Broken(Scene):
    """Draws a circle, then raises."""

    def construct(self):
        """One animation, then an error."""
        self.play(Create(Circle()), run_time=0.4)
        raise RuntimeError("broken on purpose")
