"""What the network does with a digit: attribution, invariance, top digits, weights.

torch and numpy; never Qt. May import ``network`` and everything it may.
"""
