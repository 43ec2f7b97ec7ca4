"""Benchmarks: `make bench` prints the figures quoted in issue notes."""
