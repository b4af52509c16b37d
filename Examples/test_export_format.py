#!/usr/bin/env python3
"""CI check of export_activations.write_npz without torch: the .npz it writes is what
`dropblock stats --from` and `dropblock apply --array` read. Usage: test_export_format.py DROPBLOCK"""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_activations import write_npz  # noqa: E402

dropblock = sys.argv[1]
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "activations.npz")
    # The shapes a ResNet-50 gives at 224 px, smaller in channels; float64 to check the cast.
    layers = {name: np.random.default_rng(0).random((2, 8, side, side)) for name, side in
              (("layer1", 56), ("layer2", 28), ("layer3", 14), ("layer4", 7))}
    shapes = write_npz(layers, path)
    with np.load(path) as archive:
        assert list(archive.keys()) == list(layers), archive.keys()
        assert all(archive[name].dtype == np.float32 and archive[name].shape == shapes[name] for name in layers)
    table = subprocess.run([dropblock, "stats", "--from", path, "--preset", "torchvision", "--block-size", "7",
                            "--samples", "0", "--format", "csv"], capture_output=True, text=True, check=True).stdout
    rows = [line.split(",") for line in table.splitlines()[1:]]
    assert [(row[1], row[2]) for row in rows] == [("layer1", "56x56"), ("layer2", "28x28"), ("layer3", "14x14"),
                                                  ("layer4", "7x7")], rows
    out = os.path.join(folder, "out.npy")
    subprocess.run([dropblock, "apply", path, "--array", "layer3", "-o", out, "--block-size", "7"], check=True,
                   capture_output=True)
    assert np.load(out).shape == (2, 8, 14, 14)
print("export_activations.write_npz: the file format is what dropblock reads")
