"""Write tests/data/readings.npz: what the bundled weights read in the test cases.

The cases are ``tests/reading_cases.py``'s; ``tests/test_same_readings.py``
checks that preprocessing and the forward pass still give exactly these.
Run it only when a reading is meant to change (new weights, a new framing):
``python tests/data/make_readings.py``.
"""

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reading_cases import readings  # noqa: E402

from lenet_gui.network.classifier import Classifier, use_one_thread  # noqa: E402

use_one_thread()
np.savez_compressed(HERE / "readings.npz", **readings(Classifier.load()))
