"""How fast LeNet-5 Explorer is; run the benchmarks from the repository root.

``python benchmarks/bench.py`` (or ``python -m benchmarks``) runs the suite:
:mod:`~benchmarks.harness` (child processes, statistics, the table),
:mod:`~benchmarks.targets` (the targets) and one module per measure
(:mod:`~benchmarks.live`, :mod:`~benchmarks.stroke`, :mod:`~benchmarks.startup`,
:mod:`~benchmarks.memory`, :mod:`~benchmarks.training`); ``--self-test``
checks the suite itself (:mod:`~benchmarks.self_test`).
``python benchmarks/explainers.py`` times the explainers' computations.
How well the app reads digits is measured by the studies (``python -m studies``).
"""
