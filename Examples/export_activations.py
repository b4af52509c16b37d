#!/usr/bin/env python3
"""Save a torchvision model's activations, one array per layer, to one .npz for dropblock.

    python3 Examples/export_activations.py --model resnet50 --layers layer1 layer2 layer3 layer4 \\
        --image-size 224 --batch 2 --output activations.npz
    dropblock stats --from activations.npz --block-size 3,5,7
    dropblock render activations.npz --array layer3 --block-size 7 --color 256

Forward hooks record each chosen module's output during one forward pass of a batch (random
inputs, or --images FILE.npy of shape (N, 3, H, W) in [0, 1]). Arrays are float32 NCHW, as
PyTorch lays them out, so no --layout is needed. Needs torch and torchvision; write_npz()
alone needs only NumPy (the project's CI tests the file format with it).
"""
import argparse

import numpy as np


def write_npz(activations, path):
    """Writes {layer name: array} as dropblock reads it: float32, C order, savez_compressed."""
    arrays = {name: np.ascontiguousarray(np.asarray(value, dtype=np.float32)) for name, value in activations.items()}
    np.savez_compressed(path, **arrays)
    return {name: array.shape for name, array in arrays.items()}


def record(model, layers, batch):
    """Runs `batch` through `model` and returns each named module's output as a NumPy array."""
    import torch

    modules = dict(model.named_modules())
    missing = [name for name in layers if name not in modules]
    if missing:
        raise SystemExit("no module named %s; some names: %s" % (", ".join(missing), ", ".join(list(modules)[1:12])))
    outputs = {}
    hooks = [modules[name].register_forward_hook(
        lambda _module, _inputs, output, name=name: outputs.__setitem__(name, output.detach().cpu().numpy()))
        for name in layers]
    try:
        with torch.no_grad():
            model.eval()(batch)
    finally:
        for hook in hooks:
            hook.remove()
    return {name: outputs[name] for name in layers}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="resnet50", help="a torchvision.models constructor name")
    parser.add_argument("--layers", nargs="+", default=["layer1", "layer2", "layer3", "layer4"])
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--images", help="a .npy of shape (N, 3, H, W) in [0, 1] instead of random input")
    parser.add_argument("--output", default="activations.npz")
    args = parser.parse_args()

    import torch
    import torchvision

    model = getattr(torchvision.models, args.model)(weights="DEFAULT")
    if args.images:
        batch = torch.from_numpy(np.load(args.images).astype(np.float32))
    else:
        batch = torch.rand(args.batch, 3, args.image_size, args.image_size)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    shapes = write_npz(record(model, args.layers, (batch - mean) / std), args.output)
    for name, shape in shapes.items():
        print("%s %s" % (name, shape))


if __name__ == "__main__":
    main()
