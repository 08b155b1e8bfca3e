"""Benchmarks: the pages under load (``run.py``, ``make bench``), e-mail delivery."""
