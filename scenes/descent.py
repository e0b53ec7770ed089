"""The main video: gradient descent on a one-neuron network, from the model to the valley floor.

Render with ``manim -pqh scenes/descent.py`` (``GDVIZ_PRESET``, ``GDVIZ_CONFIG``, ``GDVIZ_LANG``
choose the problem and the language).
"""

from scenes.story import StoryScene


class GradientDescent(StoryScene):
    """Model, valley, rolling ball, the map from above, right angles, the floor."""

    sections = ("model", "valley", "roll", "above", "right_angles", "floor")

    def construct(self) -> None:
        """The table of contents."""
        self.show_model()
        self.show_valley()
        self.roll_ball()
        self.look_from_above()
        self.show_right_angles()
        self.show_floor()
