"""LeNet-5 itself: the model, its weights and checkpoints, and the classifier.

torch and numpy; never Qt. May import ``spec``, ``imaging`` and ``files``.
"""
