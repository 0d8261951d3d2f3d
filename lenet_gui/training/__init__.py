"""Training and evaluation, commands included: data, drawn digits, the training loop.

torch, numpy and QtGui (through ``drawing``); never widgets or ``gui``.
"""
