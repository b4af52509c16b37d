#!/usr/bin/env python3
"""Writes the .npz fixtures (NumPy's own savez and savez_compressed) that NPZTests read back.

Values are arange-based so the tests can recompute them: member k of shape S holds
(arange(prod(S)) * 0.5 - 3).reshape(S) in its dtype.
"""
import numpy as np


def values(shape, dtype):
    return (np.arange(int(np.prod(shape))) * 0.5 - 3).reshape(shape).astype(dtype)


arrays = {
    "layer1": values((2, 3, 4, 4), np.float32),
    "layer2.conv": values((2, 5, 2, 2), np.float64),
    "counts": values((3, 4), np.int16),
    "big_endian": values((2, 3), ">f4"),
    "fortran": np.asfortranarray(values((3, 5), np.float32)),
    "labels": np.array(["a", "b"]),
}
np.savez("savez.npz", **arrays)
np.savez_compressed("savez_compressed.npz", **arrays)
