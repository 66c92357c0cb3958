"""Vectorized computations over Polars frames, built on ``ecogov.standards``.

Frames in, frames out; pure (no database, no files); partitionable by site and time.
"""
