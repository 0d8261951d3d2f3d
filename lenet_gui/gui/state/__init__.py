"""The state behind the window: the session, the network setup, background jobs.

QtCore only (no widgets); may import ``network``, ``explain`` and below.
"""
