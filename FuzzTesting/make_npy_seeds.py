"""Writes the FuzzNPY seed corpus with NumPy (run from the package root; the files are committed)."""
import io
import numpy as np

def save(name, array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    with open(f"FuzzTesting/Corpus/FuzzNPY/{name}.npy", "wb") as f:
        f.write(buffer.getvalue())

save("f4_2x3", np.arange(6, dtype="<f4").reshape(2, 3))
save("f8_be_3", np.array([1.5, -2.0, np.inf], dtype=">f8"))
save("f2_2x2", np.array([[0.5, -1], [65504, 6e-8]], dtype="<f2"))
save("i1_4", np.array([1, -2, 127, -128], dtype="i1"))
save("u2_be_2x2", np.array([[1, 2], [3, 65535]], dtype=">u2"))
save("i8_3", np.array([1, -1, 2**62], dtype="<i8"))
save("bool_2x2", np.array([[True, False], [False, True]]))
save("fortran_2x3x2", np.asfortranarray(np.arange(12, dtype="<f4").reshape(2, 3, 2)))
save("empty_0x3", np.zeros((0, 3), dtype="<f4"))
save("scalar_f8", np.array(2.5))
save("v2_u4", np.arange(4, dtype="<u4"), version=(2, 0))
save("v3_f4", np.arange(3, dtype="<f4"), version=(3, 0))
save("rank5", np.ones((1, 2, 2, 2, 2), dtype="<f4"))
