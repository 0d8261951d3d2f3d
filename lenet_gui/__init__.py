"""LeNet-5 desktop explorer: draw a digit and watch LeNet-5 read it."""

__version__ = "0.1.0"
