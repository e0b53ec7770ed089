"""Every tunable of the videos, in one typed place: the story, the lectures, the lecture maps."""
