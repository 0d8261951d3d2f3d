"""The network side of the app: LeNet-5, its data, weights and preprocessing.

Nothing in here imports Qt. Widgets never import this package's torch-facing
modules; the main window connects the two.
"""
