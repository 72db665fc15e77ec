"""Benchmarks of SCP Tracker against the limits of the machine: figures and ratios, never timed tests."""
