#!/usr/bin/env python3
"""Writes the hostile-input corpus that HostileInputTests replays through the built CLI.

Run from this folder: python3 make_corpus.py. Each file is small; the ones that declare huge
sizes do so in their headers only, so a reader that allocates before checking is caught by the
test's memory bound. The expected outcome of every case is in cases.tsv beside this script.
"""
import io
import json
import struct
import zipfile

import numpy as np


def npy_header(descr="<f4", fortran=False, shape="(1, 1, 4, 4)", version=1, raw=None):
    text = raw if raw is not None else "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape)
    body = text.encode("latin1")
    pre = 10 if version == 1 else 12
    pad = (64 - (pre + len(body) + 1) % 64) % 64
    body = body + b" " * pad + b"\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(body)) + body


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def npy(name, array):
    np.save(name, array)


# .npy files: magic, version, header and data lies.
write("empty.npy", b"")
write("magic-only.npy", b"\x93NUMPY")
write("bad-version.npy", b"\x93NUMPY\x09\x00" + b"\x00" * 16)
write("bad-minor.npy", b"\x93NUMPY\x01\x05" + b"\x00" * 16)
write("header-length-huge.npy", b"\x93NUMPY\x02\x00\xff\xff\xff\xff{")
write("header-over-cap.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 20_000) + b"{" + b" " * 19_998 + b"}")
write("fortran-zero-huge.npy", npy_header(fortran=True, shape="(0, 4611686018427387904, 4611686018427387904, 2)"))
write("c-zero-huge.npy", npy_header(shape="(4611686018427387904, 4611686018427387904, 0, 3)"))
write("shape-overflow.npy", npy_header(shape="(1099511627776, 1099511627776, 1, 1)") + b"\x00" * 64)
write("shape-huge-truncated.npy", npy_header(shape="(64, 256, 1024, 1024)") + b"\x00" * 64)
write("truncated-data.npy", npy_header(shape="(1, 1, 64, 64)") + b"\x00" * 10)
write("negative-dim.npy", npy_header(shape="(-1, 2, 3, 3)"))
write("float-dim.npy", npy_header(shape="(1.5, 2, 3, 3)"))
write("shape-not-tuple.npy", npy_header(shape="5"))
write("object-dtype.npy", npy_header(descr="|O"))
write("complex-dtype.npy", npy_header(descr="<c8") + b"\x00" * 128)
write("structured-dtype.npy", npy_header(raw="{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 1, 4, 4), }"))
write("unterminated-string.npy", npy_header(raw="{'descr': '<f4, 'fortran_order': False, 'shape': (1, 1, 4, 4), }"))
write("missing-shape.npy", npy_header(raw="{'descr': '<f4', 'fortran_order': False, }"))
write("unknown-key.npy", npy_header(raw="{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 4, 4), 'evil': 1, }"))
write("fortran-maybe.npy", npy_header(raw="{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1, 1, 4, 4), }"))
write("header-not-dict.npy", npy_header(raw="[1, 2, 3]"))
npy("rank1.npy", np.ones(16, np.float32))
npy("rank6.npy", np.ones((1, 1, 1, 2, 2, 2), np.float32))
npy("ok.npy", np.arange(128, dtype=np.float32).reshape(1, 2, 8, 8))
npy("ok-nonsquare.npy", np.ones((1, 1, 4, 8), np.float32))
npy("ok-volume.npy", np.ones((1, 1, 4, 4, 4), np.float32))
npy("noise-int.npy", np.zeros((1, 8, 8), np.int32))
npy("noise-wrong-shape.npy", np.zeros((1, 3, 3), np.float32))

# Images: variants the reader does not handle, sizes that lie.
write("bitmap.pbm", b"P4\n8 8\n" + b"\x00" * 8)
write("ascii-bitmap.pbm", b"P1\n2 2\n0 1 1 0\n")
write("pam.pam", b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n\x00\x00\x00\x00")
write("ppm-huge-declared.ppm", b"P6\n16384 16384\n255\n" + b"\x00")
write("pgm-ascii-huge-declared.pgm", b"P2\n16384 16384\n255\n1 2 3\n")
write("pgm-too-large.pgm", b"P5\n99999 99999\n255\n")
write("pgm-zero-maxval.pgm", b"P5\n2 2\n0\n\x00\x00\x00\x00")
write("pgm-maxval-too-big.pgm", b"P5\n2 2\n70000\n" + b"\x00" * 8)
write("pgm-long-number.pgm", b"P5\n2 12345678901234567890\n255\n")
write("pgm-no-size.pgm", b"P5\n# only a comment\n")

# Other containers and noise.
write("archive.npz", b"PK\x03\x04" + b"\x00" * 60)
np.savez("two-arrays.npz", a=np.ones((1, 1, 4, 4), np.float32), b=np.ones((1, 1, 4, 4), np.float32))
# A real archive cut short: no end-of-central-directory record (ZIPFoundation's error once
# reached the user by its case name).
buffer = io.BytesIO()
np.savez(buffer, a=np.ones((1, 1, 4, 4), np.float32))
write("cut.npz", buffer.getvalue()[:-30])
# A deflated member whose stream is damaged (ZIPFoundation's inflate error, an internal type).
buffer = io.BytesIO()
np.savez_compressed(buffer, a=np.ones((2, 3, 8, 8), np.float32))
damaged = bytearray(buffer.getvalue())
damaged[80:90] = b"\xff" * 10
write("bad-deflate.npz", bytes(damaged))
# A zero-sized batch: the error once named no file.
npy("zero-batch.npy", np.zeros((0, 2, 4, 4), np.float32))
# A deflated member of 4 MB of zeros whose headers declare 1000 bytes (a zip bomb that lies).
with zipfile.ZipFile("bomb.npz", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("bomb.npy", "w") as f:
        buffer = io.BytesIO()
        np.save(buffer, np.zeros((1, 1, 1024, 1024), np.float32))
        f.write(buffer.getvalue())
bomb = bytearray(open("bomb.npz", "rb").read())
for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
    at = bomb.find(signature)
    bomb[at + size_at:at + size_at + 4] = struct.pack("<I", 1000)
write("bomb.npz", bytes(bomb))


def safetensors(header, payload):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + payload


write("overlap.safetensors", safetensors({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                          "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, b"\x00" * 8))
write("complex.safetensors", safetensors({"a": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, b"\x00" * 8))
write("huge-header.safetensors", struct.pack("<Q", 200_000_000) + b"{}")
write("model.safetensors", struct.pack("<Q", 2) + b"{}")
# safetensors has no magic: files named so that fail its first check get its own reason.
write("not-json.safetensors", struct.pack("<Q", 8) + b"notjson!")
write("tiny.safetensors", b"\x02\x00")
write("length-huge.safetensors", struct.pack("<Q", 1 << 62) + b"{}")
write("garbage.bin", bytes(range(256)) * 4)
