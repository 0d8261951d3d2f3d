"""Benchmarks of LeNet-5 Explorer; run them as modules from the repository root."""
