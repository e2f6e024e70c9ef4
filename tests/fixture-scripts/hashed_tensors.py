"""Weights and inputs that the C# tests regenerate exactly (tests/NeuralStyle.Tests/Zoo/HashedTensors.cs), so that a
reference run's outputs can be committed without its weights.

For a tensor named NAME with n elements, element i (C order) uses
  u_i = (splitmix64(fnv1a64(NAME) + (i + 1) * 0x9E3779B97F4A7C15) >> 40) / 2^24   in [0, 1),
splitmix64 being Vigna's finaliser (xor-shift 30, * 0xBF58476D1CE4E5B9, xor-shift 27, * 0x94D049BB133111EB,
xor-shift 31), all arithmetic modulo 2^64, fnv1a64 over the UTF-8 bytes of NAME. Values are computed in float64
and rounded once to float32:
  convolution / linear weight (dim >= 2):  (2u - 1) * sqrt(6 / fan_in), fan_in = product of shape[1:]
  running_var, batch-norm weight:          0.5 + u
  running_mean, every bias:                0.1 * (2u - 1)
  num_batches_tracked:                     left at 0
  the input, named "input":                100 * (2u - 1)
"""
import numpy as np
import torch

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return np.uint64(h)


def uniform(name, n):
    with np.errstate(over="ignore"):
        z = fnv1a64(name) + (np.arange(1, n + 1, dtype=np.uint64) * GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)


def hashed(name, shape):
    n = int(np.prod(shape))
    u = uniform(name, n)
    leaf = name.rsplit(".", 1)[-1]
    if name == "input":
        v = 100.0 * (2 * u - 1)
    elif len(shape) >= 2:
        v = (2 * u - 1) * np.sqrt(6.0 / int(np.prod(shape[1:])))
    elif leaf in ("running_var", "weight"):
        v = 0.5 + u
    elif leaf in ("running_mean", "bias"):
        v = 0.1 * (2 * u - 1)
    else:
        raise ValueError(f"no hashed rule for {name}")
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def fill(model):
    """Every floating-point state-dict entry of MODEL replaced by its hashed value."""
    state = model.state_dict()
    model.load_state_dict({k: (hashed(k, tuple(v.shape)) if v.is_floating_point() else v) for k, v in state.items()})


def floats(t):
    """A float32 tensor as nested lists of floats whose JSON text is the shortest float32 representation.

    Parsing that text to float32 gives back the exact value; it is about half the size of the float64 repr.
    """
    a = np.asarray(t.detach().numpy() if isinstance(t, torch.Tensor) else t, dtype=np.float32)
    flat = [float(repr(v)) for v in a.reshape(-1)]  # repr of a numpy float32 scalar is its shortest form
    return np.array(flat, dtype=object).reshape(a.shape).tolist()
