"""Larger and smaller text for a projector: the whole window's fonts, remembered."""
