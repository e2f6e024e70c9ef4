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
  cadene-outputs.json  the logits of BNInception() for the hashed weights and input, in eval mode and in
                       training mode (batch statistics; the model has no dropout), float32 in its shortest representation

Weights and input: hashed_tensors.py (the input is "input", 2 x 3 x 224 x 224).
Deterministic: one thread, deterministic algorithms.
"""
import hashlib
import importlib.util
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_tensors import fill, floats, hashed  # noqa: E402

COMMIT = "8aae3d8f1135b6b13fed79c1d431e3449fdbf6e0"
SHA256 = "b262cc6308f17fbd6bf8f7dfd2b199efbd2acbcf34e46d26a7dea894b3c7966d"
INPUT_SHAPE = (2, 3, 224, 224)


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

    fill(model)
    x = hashed("input", INPUT_SHAPE)
    outputs = {"input": list(INPUT_SHAPE)}
    with torch.no_grad():
        outputs["eval"] = floats(model.eval()(x))
        outputs["train"] = floats(model.train()(x))
    for mode in ("eval", "train"):
        y = np.array(outputs[mode], dtype=np.float32)
        print(f"{mode}: shape {y.shape}, max |y| {np.abs(y).max():.4g}, std {y.std():.4g}", file=sys.stderr)
    with open(os.path.join(out, "cadene-outputs.json"), "w") as f:
        json.dump(outputs, f)
        f.write("\n")
    print(f"{keys['parameters']} parameters, {len(keys['keys'])} keys", file=sys.stderr)


if __name__ == "__main__":
    main()
