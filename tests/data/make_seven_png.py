"""Write tests/data/seven.png: the first MNIST test digit, a 7, for CI's install check.

Dark on light at 112 x 112 pixels, as tests/test_install.py draws it:
``python tests/data/make_seven_png.py``.
"""

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from lenet_gui.files.idx import load_mnist

HERE = Path(__file__).resolve().parent

images, labels = load_mnist(HERE / "mnist", "test")
assert labels[0] == 7
pixels = np.ascontiguousarray(np.kron(255 - images[0], np.ones((4, 4), np.uint8)))
image = QImage(pixels.data, 112, 112, 112, QImage.Format.Format_Grayscale8)
assert image.copy().save(str(HERE / "seven.png"))
