#!/usr/bin/python3
"""Reference figures and outputs of Cadene's BN-Inception, for the zoo's bninception tests.

Cadene's port is not packaged anywhere here and its pretrained weights (46 MB) are not available, so this script
runs Cadene's own bninception.py on weights that C# can regenerate exactly: no weight file is committed.

  CADENE_BNINCEPTION=/path/to/bninception.py bninception_reference.py OUTDIR

The file is pretrainedmodels/models/bninception.py of github.com/Cadene/pretrained-models.pytorch at commit
8aae3d8f1135b6b13fed79c1d431e3449fdbf6e0 (sha256 of the file below; the script refuses another file), e.g.
  git -C MIRROR show 8aae3d8f1135b6b13fed79c1d431e3449fdbf6e0:pretrainedmodels/models/bninception.py > /tmp/bninception.py
It only needs torch (Debian's python3-torch 1.13); the file is loaded directly, not the pretrainedmodels package.

Writes, into OUTDIR (committed as tests/NeuralStyle.Tests/Fixtures/zoo/bninception/):

  cadene-keys.json     parameter count and the state-dict keys with shapes and dtypes, in state-dict order
  cadene-outputs.json  the logits of BNInception() for the hashed weights and input below, in eval mode and in
                       training mode (batch statistics; the model has no dropout), float32 printed as repr

Hashed values (HashedTensors.cs in the tests implements the same): for a tensor named NAME with n elements,
element i (C order) uses u_i = (splitmix64(fnv1a64(NAME) + (i + 1) * 0x9E3779B97F4A7C15) >> 40) / 2^24 in [0, 1),
splitmix64 being Vigna's finaliser (xor-shift 30, * 0xBF58476D1CE4E5B9, xor-shift 27, * 0x94D049BB133111EB,
xor-shift 31), all arithmetic modulo 2^64. Values are computed in float64 and rounded once to float32:
  convolution / linear weight (dim >= 2):  (2u - 1) * sqrt(6 / fan_in), fan_in = product of shape[1:]
  running_var, batch-norm weight:          0.5 + u
  running_mean, every bias:                0.1 * (2u - 1)
  num_batches_tracked:                     left at 0
  the input "input", 2 x 3 x 224 x 224:    100 * (2u - 1)
Deterministic: one thread, deterministic algorithms.
"""
import hashlib
import importlib.util
import json
import os
import sys

import numpy as np
import torch

COMMIT = "8aae3d8f1135b6b13fed79c1d431e3449fdbf6e0"
SHA256 = "b262cc6308f17fbd6bf8f7dfd2b199efbd2acbcf34e46d26a7dea894b3c7966d"
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
INPUT_SHAPE = (2, 3, 224, 224)


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


def load_cadene(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{path} is not bninception.py of Cadene/pretrained-models.pytorch {COMMIT} (sha256 {digest})")
    spec = importlib.util.spec_from_file_location("cadene_bninception", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    if len(sys.argv) != 2 or "CADENE_BNINCEPTION" not in os.environ:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    cadene = load_cadene(os.environ["CADENE_BNINCEPTION"])

    torch.manual_seed(0)
    model = cadene.BNInception(num_classes=1000)
    state = model.state_dict()
    keys = {
        "source": f"github.com/Cadene/pretrained-models.pytorch {COMMIT} pretrainedmodels/models/bninception.py",
        "torch": torch.__version__,
        "parameters": sum(p.numel() for p in model.parameters()),
        "keys": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in state.items()],
    }
    with open(os.path.join(out, "cadene-keys.json"), "w") as f:
        json.dump(keys, f, indent=1)
        f.write("\n")

    model.load_state_dict({k: (v if k.endswith("num_batches_tracked") else hashed(k, tuple(v.shape))) for k, v in state.items()})
    x = hashed("input", INPUT_SHAPE)
    outputs = {"input": list(INPUT_SHAPE)}
    with torch.no_grad():
        outputs["eval"] = model.eval()(x).numpy().tolist()
        outputs["train"] = model.train()(x).numpy().tolist()
    for mode in ("eval", "train"):
        y = np.array(outputs[mode], dtype=np.float32)
        print(f"{mode}: shape {y.shape}, max |y| {np.abs(y).max():.4g}, std {y.std():.4g}", file=sys.stderr)
    with open(os.path.join(out, "cadene-outputs.json"), "w") as f:
        # float32 values written as the shortest repr of their float64 widening: exact on read-back.
        json.dump(outputs, f)
        f.write("\n")
    print(f"{keys['parameters']} parameters, {len(keys['keys'])} keys", file=sys.stderr)


if __name__ == "__main__":
    main()
