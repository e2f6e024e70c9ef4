#!/usr/bin/python3
"""Reference fixtures for the zoo's FractalNet, made with the port it follows: khanrc/pt.fractalnet.

Upstream: https://github.com/khanrc/pt.fractalnet, commit 05eed3f9aa54a29691442b0cab5faa17c43b6a7a, file
fractal.py (the per-sample drop-path model that its train.py uses; sha256 below). Point KHANRC_FRACTALNET at a
directory holding that fractal.py (a checkout of the repository, or the file alone):

  KHANRC_FRACTALNET=/path/to/pt.fractalnet /usr/bin/python3 tests/fixture-scripts/fractalnet_reference.py

It writes, under tests/NeuralStyle.Tests/Fixtures/zoo/fractalnet/:

  keys.json
      The default configuration (CIFAR, B=5, C=3, init_channels 64, dropout 0,.1,.2,.3,.4, max-pool after every
      block, FC head): parameter counts for 10 and 100 classes, the state-dict keys with shapes and dtypes in
      state-dict order (10 classes), and the multiply-adds of the convolutions and the linear layer for one 32x32
      image with every column (counted with forward hooks).

  small-<name>/
      A small configuration whose weights are small enough to commit:
        config.json       the configuration, in the zoo's terms (channels per block, dropout per block, columns, ...)
        state_dict.pth    torch.save of the state_dict (zip format): xavier-uniform weights (the port's default init)
                          and random BN affine parameters and running statistics, so that eval mode uses them
        input.npy         a fixed input, float32, batch 2
        eval.npy          the output in eval mode (every column, joins are means)
        deepest.npy       the output in eval mode with deepest=True (the last column alone: the port's extraction)
        train.npy         the output in training mode with dropout and drop-path disabled (p_ldrop 0, gdrop_ratio 0,
                          dropout 0): joins are means and batch norm uses the batch statistics
        train_state_dict.pth  the state_dict after that training-mode forward (running statistics updated)

fractal.py uses np.int, which numpy 1.24 removed; the script aliases it to int before importing. Deterministic: one
thread, fixed seeds. Needs /usr/bin/python3 (Debian 12: torch 1.13, numpy 1.24). About 1 MB in total.
"""
import contextlib
import hashlib
import io
import json
import os
import sys

import numpy as np
import torch

UPSTREAM = {
    "repository": "https://github.com/khanrc/pt.fractalnet",
    "commit": "05eed3f9aa54a29691442b0cab5faa17c43b6a7a",
    "path": "fractal.py",
    "sha256": "6ead8393907d92b36b67630f34ee9ae8cacb6a8c5cfd1fed6fef20b60ad4ee27",
}

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "zoo", "fractalnet")

# name: (columns, init_channels, dropout per block, classes, input size, seed)
SMALL = {
    "b3c3": (3, 8, [0.0, 0.1, 0.2], 10, 32, 11),
    "b2c4": (4, 4, [0.1, 0.3], 7, 16, 12),
}


def load_port():
    root = os.environ.get("KHANRC_FRACTALNET")
    if not root:
        sys.exit("set KHANRC_FRACTALNET to a directory holding khanrc/pt.fractalnet's fractal.py (commit %s)" % UPSTREAM["commit"])
    path = os.path.join(root, UPSTREAM["path"])
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != UPSTREAM["sha256"]:
        sys.exit("%s is not fractal.py of commit %s (sha256 %s)" % (path, UPSTREAM["commit"], digest))
    if not hasattr(np, "int"):
        np.int = int  # removed in numpy 1.24; fractal.py uses it for a counter array
    sys.path.insert(0, root)
    import fractal
    return fractal


def build(fractal, columns, init_channels, dropout, classes, size, p_ldrop=0.15, gdrop_ratio=0.5):
    with contextlib.redirect_stdout(io.StringIO()):  # the constructor prints the block sizes
        return fractal.FractalNet((3, size, size, classes), columns, init_channels, p_ldrop, dropout, gdrop_ratio)


def channels_of(init_channels, blocks):
    # The port doubles the channels after every block except the last two (fractal.py, FractalNet.__init__).
    result, c = [], init_channels
    for b in range(blocks):
        result.append(c)
        if b < blocks - 2:
            c *= 2
    return result


def key_list(model):
    return [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()]


def multiply_adds(model, size):
    total = [0]

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            total[0] += output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, torch.nn.Linear):
            total[0] += module.in_features * module.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]


def keys(fractal):
    dropout = [0.0, 0.1, 0.2, 0.3, 0.4]
    torch.manual_seed(0)
    c10 = build(fractal, 3, 64, dropout, 10, 32)
    c100 = build(fractal, 3, 64, dropout, 100, 32)
    result = {
        "upstream": UPSTREAM,
        "torch": torch.__version__,
        "config": {"columns": 3, "channels": channels_of(64, 5), "dropout": dropout, "input": 32},
        "parameters": {"10": sum(p.numel() for p in c10.parameters()), "100": sum(p.numel() for p in c100.parameters())},
        "multiply_adds": multiply_adds(c10, 32),
        "keys": key_list(c10),
    }
    with open(os.path.join(OUT, "keys.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print("keys.json: %s parameters, %d keys, %d multiply-adds" % (result["parameters"], len(result["keys"]), result["multiply_adds"]))


def randomise_batch_norm(model, generator):
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                module.bias.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                module.num_batches_tracked.fill_(3)
            elif isinstance(module, torch.nn.Linear):
                module.bias.copy_(0.1 * torch.randn(module.out_features, generator=generator))


def small(fractal, name, columns, init_channels, dropout, classes, size, seed):
    outdir = os.path.join(OUT, "small-" + name)
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(seed)
    model = build(fractal, columns, init_channels, dropout, classes, size)
    g = torch.Generator().manual_seed(seed + 1000)
    randomise_batch_norm(model, g)
    x = torch.randn(2, 3, size, size, generator=g)
    model.eval()
    with torch.no_grad():
        y = model(x)
        deepest = model(x, deepest=True)
    torch.save(model.state_dict(), os.path.join(outdir, "state_dict.pth"))

    # Training mode without randomness: the same weights in a model without dropout and drop-path.
    plain = build(fractal, columns, init_channels, [0.0] * len(dropout), classes, size, p_ldrop=0.0, gdrop_ratio=0.0)
    plain.load_state_dict(model.state_dict())
    plain.train()
    with torch.no_grad():
        t = plain(x)
    torch.save(plain.state_dict(), os.path.join(outdir, "train_state_dict.pth"))

    np.save(os.path.join(outdir, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(outdir, "eval.npy"), y.numpy().astype(np.float32))
    np.save(os.path.join(outdir, "deepest.npy"), deepest.numpy().astype(np.float32))
    np.save(os.path.join(outdir, "train.npy"), t.numpy().astype(np.float32))
    config = {
        "columns": columns,
        "channels": channels_of(init_channels, len(dropout)),
        "dropout": dropout,
        "classes": classes,
        "input": size,
        "parameters": sum(p.numel() for p in model.parameters()),
        "keys": [k for k in model.state_dict()],
        "upstream": UPSTREAM,
    }
    with open(os.path.join(outdir, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
        f.write("\n")
    print("small-%s: %d parameters, output %s" % (name, config["parameters"], tuple(y.shape)))


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    fractal = load_port()
    os.makedirs(OUT, exist_ok=True)
    keys(fractal)
    for name, args in SMALL.items():
        small(fractal, name, *args)


if __name__ == "__main__":
    main()
