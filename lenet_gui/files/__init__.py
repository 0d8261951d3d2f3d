"""Files from outside, read and written safely: weights paths, MNIST, strokes, SVG.

Standard library and numpy only; never Qt or torch. May import ``spec``.
"""
