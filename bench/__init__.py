"""The performance harness: `make bench` runs bench/run.py. Nothing here is served in production."""
