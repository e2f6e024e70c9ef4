#!/usr/bin/python3
"""ENet fixtures for the model zoo's tests, made by running the davidtvs/PyTorch-ENet port (the reference for key names).

The port is not vendored: point ENET_PORT at a checkout of https://github.com/davidtvs/PyTorch-ENet at commit
e17d404e2f649a3476eabe39f8a05e5eb77c55fd (the script needs only its models/enet.py, whose git blob must be
ffadcfd5131c14a053c84c9bc5ba9a318130070a; it refuses another version unless --any-version is given).

  ENET_PORT=/path/to/PyTorch-ENet enet_reference.py [OUTDIR]

OUTDIR (default tests/NeuralStyle.Tests/Fixtures/zoo/enet) receives:
  enet-keys.json   the port's ENet(19): parameter count, state-dict keys with shapes and dtypes in order, the
                   parameter count for other class counts, and multiply-adds counted with forward hooks
                   (Conv2d: output elements x in/groups x kh x kw; ConvTranspose2d: input elements x out/groups x kh x kw;
                   batch norm reported apart) at a few input sizes.
  state_dict.pth   torch.save({'state_dict': ...}) of ENet(19), nested like the port's checkpoints. Random init
                   (torch.manual_seed(SEED)), then batch-norm scales/shifts and PReLU slopes drawn at random and
                   running statistics made non-trivial by three train-mode forwards on random inputs.
  input.npy        1x3x70x128 float32 standard normal (seed SEED + 1). 70 is odd after two halvings (70 -> 35 -> 17),
                   so the decoder must honour the encoder sizes (output padding 1 on one axis, 0 on the other).
  output.npy       the eval-mode output for input.npy, 1x19x70x128 float32.

Deterministic: one thread, fixed seeds. Needs /usr/bin/python3 with python3-torch
(Debian 12: torch 1.13) and numpy. No network access.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

UPSTREAM = "https://github.com/davidtvs/PyTorch-ENet"
COMMIT = "e17d404e2f649a3476eabe39f8a05e5eb77c55fd"
PATH = "models/enet.py"
BLOB = "ffadcfd5131c14a053c84c9bc5ba9a318130070a"
SEED = 20160607
CLASSES = 19
INPUT = (1, 3, 70, 128)


def load_port(root, any_version):
    path = os.path.join(root, PATH)
    with open(path, "rb") as f:
        data = f.read()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    if blob != BLOB and not any_version:
        sys.exit(f"{path} is blob {blob}, not {BLOB} ({PATH} at {COMMIT}); pass --any-version to use it anyway")
    spec = importlib.util.spec_from_file_location("enet_port", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, blob


def multiply_adds(model, h, w):
    counts = {"conv": 0, "conv_transpose": 0, "batch_norm": 0}

    def hook(m, inputs, output):
        if isinstance(m, nn.ConvTranspose2d):
            x = inputs[0]
            counts["conv_transpose"] += x[0].numel() * (m.out_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Conv2d):
            counts["conv"] += output[0].numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.BatchNorm2d):
            counts["batch_norm"] += output[0].numel()

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, h, w))
    for handle in handles:
        handle.remove()
    counts["conv_and_transposed_conv"] = counts["conv"] + counts["conv_transpose"]
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", default=os.path.join("tests", "NeuralStyle.Tests", "Fixtures", "zoo", "enet"))
    parser.add_argument("--any-version", action="store_true")
    a = parser.parse_args()
    root = os.environ.get("ENET_PORT")
    if not root:
        sys.exit("set ENET_PORT to a checkout of " + UPSTREAM + " at " + COMMIT)
    port, blob = load_port(root, a.any_version)

    # One thread makes the CPU kernels deterministic. torch.use_deterministic_algorithms(True) is not used: it rejects
    # max_unpool2d, which is deterministic here because 2x2/2 pooling never gives two outputs the same index.
    torch.set_num_threads(1)
    os.makedirs(a.outdir, exist_ok=True)

    torch.manual_seed(SEED)
    model = port.ENet(CLASSES)
    state = model.state_dict()
    listing = {
        "upstream": UPSTREAM, "commit": COMMIT, "path": PATH, "blob": blob, "torch": torch.__version__,
        "classes": CLASSES,
        "parameters": sum(p.numel() for p in model.parameters()),
        "keys": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in state.items()],
        "parameters_by_classes": {str(c): sum(p.numel() for p in port.ENet(c).parameters()) for c in (11, 12, 19, 20)},
        "multiply_adds": {f"3x{h}x{w}": multiply_adds(model, h, w) for h, w in ((512, 512), (512, 1024), (360, 640))},
    }

    # Non-trivial affine batch-norm and PReLU values, then running statistics from a few training forwards.
    torch.manual_seed(SEED)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
            elif isinstance(m, nn.PReLU):
                m.weight.uniform_(0.05, 0.5)
        model.train()
        g = torch.Generator().manual_seed(SEED + 2)
        for _ in range(3):
            model(torch.randn(2, 3, 64, 96, generator=g) * 1.5 + 0.2)
    model.eval()
    torch.save({"state_dict": model.state_dict()}, os.path.join(a.outdir, "state_dict.pth"))

    g = torch.Generator().manual_seed(SEED + 1)
    x = torch.randn(*INPUT, generator=g)
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(a.outdir, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(a.outdir, "output.npy"), y.numpy().astype(np.float32))
    listing["fixture"] = {"input": list(INPUT), "output": list(y.shape), "output_abs_max": float(y.abs().max())}

    with open(os.path.join(a.outdir, "enet-keys.json"), "w") as f:
        json.dump(listing, f, indent=1)
        f.write("\n")
    print(f"ENet({CLASSES}): {listing['parameters']} parameters, {len(listing['keys'])} keys; "
          f"output {tuple(y.shape)}, |max| {listing['fixture']['output_abs_max']:.4g}", file=sys.stderr)


if __name__ == "__main__":
    main()
