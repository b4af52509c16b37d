#!/usr/bin/env python3
"""Writes the .safetensors fixture with the reference `safetensors` package (pip install safetensors).

Each tensor holds (arange(prod(S)) * 0.5 - 3).reshape(S) in its dtype (booleans: arange % 2);
SafetensorsTests recompute the values. BF16 has no NumPy dtype; the tests build it by hand.
"""
import numpy as np
from safetensors.numpy import save_file


def values(shape, dtype):
    return (np.arange(int(np.prod(shape))) * 0.5 - 3).reshape(shape).astype(dtype)


save_file({
    "f32": values((2, 3, 4), np.float32),
    "f64": values((3, 2), np.float64),
    "f16": values((2, 2, 2), np.float16),
    "i64": values((4,), np.int64),
    "i32": values((2, 2), np.int32),
    "i16": values((5,), np.int16),
    "i8": values((6,), np.int8),
    "u8": (np.arange(6) * 40).astype(np.uint8),
    "bool": (np.arange(5) % 2).astype(np.bool_),
    "empty": np.zeros((0, 3), np.float32),
}, "tensors.safetensors", metadata={"format": "np"})
