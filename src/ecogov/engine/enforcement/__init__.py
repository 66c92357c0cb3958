"""Vectorized enforcement computations (frames in, frames out): the credit rating with every
point traced to its evidence, the verifiable double-random draw and the risk score."""
