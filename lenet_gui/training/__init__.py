"""Training and evaluation, commands included: data, drawn digits, the training loop.

torch, numpy and QtGui (through ``drawing``); never widgets or ``gui``.

Importing it asks the math libraries for a fixed number of threads (unless
the environment already says otherwise): MKL and OpenMP may otherwise use
fewer threads than asked for when they choose to, and the sums of a training
step then come out in another order, so the same seed would not give the
same weights. Set before torch is first imported, as the commands do.
"""

import os as _os

for _name in ("MKL_DYNAMIC", "OMP_DYNAMIC"):
    _os.environ.setdefault(_name, "FALSE")
