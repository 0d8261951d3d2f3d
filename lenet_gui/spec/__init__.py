"""LeNet-5 and MNIST as facts: sizes, levels, Table I. Pure Python; imports nothing."""
