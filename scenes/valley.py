"""The valley on its own: the loss surface and the ball rolling down it (sections 2 and 3)."""

from scenes.kit.story3d import StoryScene
from scenes.kit.theme import mark_key_moment


class Valley(StoryScene):
    """The loss surface, the start, and the descent with an orbiting camera.

    Key moment for ``gdviz stills``: "valley" (the path on the valley at the end of the roll).
    """

    def construct(self) -> None:
        """The table of contents."""
        self.show_valley()
        self.roll_ball()
        mark_key_moment(self, "valley")
