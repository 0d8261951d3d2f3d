#!/usr/bin/env python
"""Benchmarks of LeNet-5 Explorer: ``python benchmarks/bench.py [options]``.

Measures, offscreen, each in fresh child processes: the live update (with
its breakdown), drawing under load, start-up, memory and training; prints
one table with medians, spreads, targets and PASS/FAIL (exit status 1 when
a target is missed). ``--help`` lists the options; docs/benchmarks.md says
what each measure does. The suite lives in the ``benchmarks`` package
(``python -m benchmarks`` runs the same).
"""

import os
import sys

# Run as a script, Python puts benchmarks/ itself first on the path, where
# the measure modules would shadow any top-level module of the same name.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from benchmarks.suite import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
