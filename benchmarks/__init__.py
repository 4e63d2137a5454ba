"""The benchmark: `python benchmarks/run.py --sizes 100,1000,10000` (see README)."""
