"""`make bench`: see bench.py and BENCHMARKS.md."""
