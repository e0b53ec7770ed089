"""gdviz's publishing tool: one command line around manim for clips, stills, batches, a gallery.

``gdviz render|stills|batch|gallery`` (see `gdviz.cli`). The scenes stay plain manim scenes:
``manim -pqh scenes/descent.py`` works as before.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
