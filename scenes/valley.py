"""The valley on its own: the loss surface and the ball rolling down it (sections 2 and 3)."""

from scenes.story import StoryScene


class Valley(StoryScene):
    """The loss surface, the start, and the descent with an orbiting camera."""

    sections = ("valley", "roll")

    def construct(self) -> None:
        """The table of contents."""
        self.show_valley()
        self.roll_ball()
        self.check_plan()
