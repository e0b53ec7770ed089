"""A small scene with many animations, for testing the parallel renderer."""

from manim import BLUE, RED, RIGHT, Circle, Create, Scene, interpolate_color


class Toy(Scene):
    """A circle that moves and changes colour in several animations."""

    def construct(self):
        """Play seven animations of different lengths."""
        c = Circle(color=BLUE)
        self.play(Create(c), run_time=1)
        for i in range(5):
            self.play(c.animate.shift(RIGHT * 0.3).set_color(interpolate_color(BLUE, RED, i / 4)),
                      run_time=0.5)
        self.wait(0.5)
