"""Benchmarks of LeNet-5 Explorer; run them from the repository root.

``python benchmarks/bench.py`` (or ``python -m benchmarks``) runs the suite:
:mod:`~benchmarks.harness` (child processes, statistics, the table),
:mod:`~benchmarks.targets` (the targets) and one module per measure
(:mod:`~benchmarks.live`, :mod:`~benchmarks.stroke`, :mod:`~benchmarks.startup`,
:mod:`~benchmarks.memory`, :mod:`~benchmarks.training`).
``python -m benchmarks.drawn_digits`` measures how well drawn digits are read.
"""
