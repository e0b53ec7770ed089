"""gdviz scenes: Manim scenes that draw what gdmath computes (one Scene per file).

The scene files import the drawing kit (`scenes.kit`); this package itself imports nothing, so
that `scenes.kit.env` can be read without manim.
"""
