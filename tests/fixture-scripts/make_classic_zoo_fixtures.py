#!/usr/bin/python3
"""Reference runs of the zoo models that torchvision does not have: LeNet-5 (paper and modern) and the paper's AlexNet.

Run with Debian's interpreter (torch 1.13, numpy), from the repository root:

    /usr/bin/python3 tests/fixture-scripts/make_classic_zoo_fixtures.py

The networks below are written from the papers, independently of the C# code: they share only the state-dict key
names and shapes (the contract), and compute differently where the C# code has to be clever:
  * LeNet-5's C3 is one ordinary 16x6 convolution whose weight is scattered from the per-run parameters through the
    connection table (C# gathers the input maps and runs grouped convolutions);
  * subsampling adds the four strided slices explicitly (C# uses 4 x average pooling);
  * the paper's LRN is an explicit loop over channels with alpha multiplying the plain sum (C# uses libtorch's
    LocalResponseNorm with alpha x n).
References are computed in float64 from float32 weights and inputs, then stored as float32.

Writes under tests/NeuralStyle.Tests/Fixtures/zoo/ (or --out):
  lenet/lenet5/         state_dict.pth (torch.save, zip format), input.npy (3x1x32x32), output.npy (eval), keys.json
  lenet/lenet5-modern/  the same
  alexnet-original/     keys.json and output.npy only: its 61 M weights and its input come from the integer hash
                        below, which the C# test computes too, so nothing large is committed.

keys.json has the layout of torchvision-keys.json's per-model entries: parameters, trainable, and the state-dict keys
with shapes and dtypes in order (buffers included).

Hash weights (alexnet-original): state-dict tensor number t (0-based, in order) of n elements gets, for element i,
  h = (i * 2654435761 + (t + 1) * 2246822519) mod 2^32,  value = float32((2 h / 2^32 - 1) * bound)
with bound = sqrt(6 / fan_in) (fan_in = product of all but the first dimension) for tensors of 2 or more dimensions
and 0.1 for vectors. The input is the same formula with t = 1000 and bound 100: pixel-sized values, so that the LRN's
sum of squares is comparable to k (with inputs of order 1 the LRN is nearly the identity; at 100 the C# mistake
alpha / n instead of alpha changes the output by 7%, k = 1 instead of 2 by 2%). Every step is exact or correctly rounded
in IEEE double, so C# and numpy produce the same bits.

Deterministic: one thread, fixed seeds; re-running gives the same arrays.
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 1998

# Table I of LeCun et al. 1998: the S2 maps each C3 map sees.
C3_TABLE = [
    [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
    [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
    [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
]


def squash(a):
    return 1.7159 * torch.tanh(a * (2.0 / 3.0))


class Subsampling(nn.Module):
    def __init__(self, maps):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(maps).uniform_(-0.6, 0.6))
        self.bias = nn.Parameter(torch.empty(maps).uniform_(-0.6, 0.6))

    def forward(self, x):
        s = x[:, :, 0::2, 0::2] + x[:, :, 1::2, 0::2] + x[:, :, 0::2, 1::2] + x[:, :, 1::2, 1::2]
        return s * self.weight[None, :, None, None] + self.bias[None, :, None, None]


class PartialC3(nn.Module):
    """Runs of consecutive maps with equal fan-in: (0-5, 3 inputs), (6-14, 4), (15, 6)."""

    RUNS = [(0, 6), (6, 15), (15, 16)]

    def __init__(self):
        super().__init__()
        for r, (a, b) in enumerate(self.RUNS):
            fan = len(C3_TABLE[a])
            bound = 2.4 / (fan * 25)
            self.register_parameter(f"weight{r}", nn.Parameter(torch.empty(b - a, fan, 5, 5).uniform_(-bound, bound)))
            self.register_parameter(f"bias{r}", nn.Parameter(torch.empty(b - a).uniform_(-bound, bound)))

    def forward(self, x):
        full = torch.zeros(16, 6, 5, 5, dtype=x.dtype)
        biases = []
        for r, (a, b) in enumerate(self.RUNS):
            w = getattr(self, f"weight{r}")
            for p, m in enumerate(range(a, b)):
                for j, source in enumerate(C3_TABLE[m]):
                    full[m, source] = w[p, j]
            biases.append(getattr(self, f"bias{r}"))
        return F.conv2d(x, full, torch.cat(biases))


class Rbf(nn.Module):
    def __init__(self, features, classes):
        super().__init__()
        self.register_buffer("centres", torch.randint(0, 2, (classes, features)).float() * 2 - 1)

    def forward(self, x):
        return ((x[:, None, :] - self.centres[None, :, :]) ** 2).sum(-1)


class PaperLeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5)
        self.s2 = Subsampling(6)
        self.c3 = PartialC3()
        self.s4 = Subsampling(16)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.output = Rbf(84, 10)

    def forward(self, x):
        x = squash(self.c1(x))
        x = squash(self.s2(x))
        x = squash(self.c3(x))
        x = squash(self.s4(x))
        x = squash(self.c5(x)).flatten(1)
        x = squash(self.f6(x))
        return self.output(x)


class ModernLeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.c5(x)).flatten(1)
        return self.output(F.relu(self.f6(x)))


def paper_lrn(a, n=5, alpha=1e-4, beta=0.75, k=2.0):
    """Krizhevsky et al. 2012, section 3.3: b_i = a_i / (k + alpha * sum_{j=max(0,i-n/2)}^{min(N-1,i+n/2)} a_j^2)^beta."""
    sq = a * a
    channels = a.shape[1]
    s = torch.empty_like(a)
    for i in range(channels):
        s[:, i] = sq[:, max(0, i - n // 2):min(channels - 1, i + n // 2) + 1].sum(1)
    return a / (k + alpha * s) ** beta


class PaperAlexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), nn.Identity(), nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, padding=2, groups=2), nn.ReLU(), nn.Identity(), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 384, 3, padding=1, groups=2), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1, groups=2), nn.ReLU(),
            nn.MaxPool2d(3, 2))
        self.classifier = nn.Sequential(
            nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 1000))

    def forward(self, x):
        for i, layer in enumerate(self.features):
            x = paper_lrn(x) if i in (2, 6) else layer(x)
        return self.classifier(x.flatten(1))


def hashed(t, shape, bound=None):
    n = int(np.prod(shape))
    if bound is None:
        bound = np.sqrt(6.0 / np.prod(shape[1:])) if len(shape) >= 2 else 0.1
    i = np.arange(n, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(((t + 1) * 2246822519) % 2**64)) & np.uint64(0xFFFFFFFF)
    return ((2.0 * h.astype(np.float64) / 4294967296.0 - 1.0) * bound).astype(np.float32).reshape(shape)


def key_list(model):
    return {
        "parameters": sum(p.numel() for p in model.parameters()),
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "keys": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()],
    }


def write_keys(model, path):
    with open(path, "w") as f:
        json.dump(key_list(model), f, indent=1)
        f.write("\n")


def lenet(model, outdir, seed):
    os.makedirs(outdir, exist_ok=True)
    model.eval()
    torch.save(model.state_dict(), os.path.join(outdir, "state_dict.pth"))
    x = torch.randn(3, 1, 32, 32, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        y = model.double()(x.double()).float()
    np.save(os.path.join(outdir, "input.npy"), x.numpy())
    np.save(os.path.join(outdir, "output.npy"), y.numpy())
    model.float()
    write_keys(model, os.path.join(outdir, "keys.json"))
    print(f"{outdir}: {key_list(model)['parameters']} parameters, output {tuple(y.shape)}, |y| max {y.abs().max():.4g}")


def alexnet(outdir):
    os.makedirs(outdir, exist_ok=True)
    model = PaperAlexNet().eval()
    state = model.state_dict()
    with torch.no_grad():
        for t, (k, v) in enumerate(state.items()):
            v.copy_(torch.from_numpy(hashed(t, list(v.shape))))
    x = torch.from_numpy(hashed(1000, [1, 3, 227, 227], bound=100.0))
    with torch.no_grad():
        y = model.double()(x.double()).float()
    np.save(os.path.join(outdir, "output.npy"), y.numpy())
    model.float()
    write_keys(model, os.path.join(outdir, "keys.json"))
    print(f"{outdir}: {key_list(model)['parameters']} parameters, output {tuple(y.shape)}, |y| max {y.abs().max():.4g}, "
          f"first weights {hashed(0, [96, 3, 11, 11]).ravel()[:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tests/NeuralStyle.Tests/Fixtures/zoo")
    a = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    torch.manual_seed(SEED)
    paper = PaperLeNet5()
    assert sum(p.numel() for p in paper.parameters()) == 60000
    assert sum(p.numel() for p in paper.c3.parameters()) == 1516
    lenet(paper, os.path.join(a.out, "lenet", "lenet5"), SEED + 1)

    torch.manual_seed(SEED + 2)
    modern = ModernLeNet5()
    assert sum(p.numel() for p in modern.parameters()) == 61706
    lenet(modern, os.path.join(a.out, "lenet", "lenet5-modern"), SEED + 3)

    alexnet(os.path.join(a.out, "alexnet-original"))


if __name__ == "__main__":
    main()
