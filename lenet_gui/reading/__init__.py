"""Reading what was written: numbers of several digits, and "not a digit".

The ink is cut into candidate pieces (``pieces.py``), the network reads every
candidate and the best path through them is the number (``number.py``), and
a small head on the network's own features says when ink is not a digit at
all (``verdict.py``). torch and numpy; never Qt.
"""
