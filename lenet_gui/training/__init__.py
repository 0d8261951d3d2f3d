"""Training and evaluation, commands included: data, drawn digits, the training loop.

torch, numpy and QtGui (through ``drawing``); never widgets or ``gui``.

Importing it asks the math libraries for a fixed number of threads (unless
the environment already says otherwise): MKL and OpenMP may otherwise use
fewer threads than asked for when they choose to, and the sums of a training
step then come out in another order, so the same seed would not give the
same weights. Set before torch is first imported, as the commands do; so
is how the threads wait (they sleep, see below).
"""

import os as _os

for _name in ("MKL_DYNAMIC", "OMP_DYNAMIC"):
    _os.environ.setdefault(_name, "FALSE")
# OpenMP threads that wait for work sleep rather than spin. Spinning saves a
# few microseconds a step on an idle machine, but on a busy one a spinning
# thread holds a core the thread it waits for needs: a pass then took 25
# times as long. The sums are shared out the same way either way, so the
# weights are the same.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
