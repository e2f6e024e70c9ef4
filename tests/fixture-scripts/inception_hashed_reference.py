#!/usr/bin/python3
"""torchvision's GoogLeNet and Inception v3 on hashed weights (hashed_tensors.py), for the zoo's tests.

  inception_hashed_reference.py OUTDIR

Writes OUTDIR/googlenet-outputs.json and OUTDIR/inception_v3-outputs.json (committed under
tests/NeuralStyle.Tests/Fixtures/zoo/inception/). Each holds, for a batch of 2 hashed inputs ("input", 2 x 3 x H x W
at the canonical size), float32 values in their shortest representation:

  eval             the logits in eval mode (aux_logits=True, transform_input=False)
  eval_transform   the logits in eval mode with transform_input=True
  train            training mode with every Dropout module in eval mode (so the run is deterministic: batch
                   statistics in every batch norm, aux heads run): "logits" and each head's output by the name of the
                   module that computed it ("aux1", "aux2" for GoogLeNet, recorded with forward hooks; "AuxLogits")
  train_f64        the same training-mode outputs computed in float64 (model and input converted), full precision
  train_f32_error  for each training-mode output, PyTorch's own float32 error: max |float32 - float64| / max |float64|

Training mode normalises with batch statistics; with a batch of 2 and 1x1 maps (Inception v3's AuxLogits head) a
batch norm sees two values per channel and magnifies rounding, so float32 itself is 1.4e-4 away from float64 there.
The tests hold the training outputs to float64 with a tolerance derived from train_f32_error (as accurate as PyTorch's
float32), so that the order in which a kernel adds up (oneDNN's or LibTorch's own) does not decide the outcome.

torchvision 0.14's GoogLeNetOutputs(logits, aux_logits2, aux_logits1) holds aux1's output in aux_logits2 and aux2's
in aux_logits1 (its forward swaps the two); the script asserts that, so that the zoo's documentation stays true.
The large agreement tests on torchvision's own random initialisation live elsewhere (TorchvisionAgreement); these
fixtures add the training-mode behaviour (aux heads, batch statistics) and transform_input, with no weight file
(about 100 KB each). Needs /usr/bin/python3 (Debian 12: torch 1.13, torchvision 0.14). Deterministic.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_tensors import fill, floats, hashed  # noqa: E402

MODELS = {"googlenet": (224, ["aux1", "aux2"]), "inception_v3": (299, ["AuxLogits"])}


def build(name, transform_input):
    model = getattr(torchvision.models, name)(weights=None, aux_logits=True, transform_input=transform_input, init_weights=False)
    fill(model)
    return model


def train_outputs(name, heads, x, dtype):
    model = build(name, False).train().to(dtype)
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.eval()
    recorded = {}
    for head in heads:
        getattr(model, head).register_forward_hook(lambda m, i, o, head=head: recorded.__setitem__(head, o))
    outputs = model(x.to(dtype))
    return outputs, {"logits": outputs.logits, **{head: recorded[head] for head in heads}}


def run(name, out):
    size, heads = MODELS[name]
    x = hashed("input", (2, 3, size, size))
    result = {"input": [2, 3, size, size]}
    with torch.no_grad():
        result["eval"] = floats(build(name, False).eval()(x))
        result["eval_transform"] = floats(build(name, True).eval()(x))

        outputs, recorded = train_outputs(name, heads, x, torch.float32)
        train = {key: floats(value) for key, value in recorded.items()}
        if name == "googlenet":
            assert torch.equal(outputs.aux_logits2, recorded["aux1"]) and torch.equal(outputs.aux_logits1, recorded["aux2"])
        else:
            assert torch.equal(outputs.aux_logits, recorded["AuxLogits"])
        result["train"] = train
        _, exact = train_outputs(name, heads, x, torch.float64)
        result["train_f64"] = {key: value.numpy().tolist() for key, value in exact.items()}
        result["train_f32_error"] = {
            key: float((recorded[key].double() - exact[key]).abs().max() / exact[key].abs().max()) for key in exact}
    with open(os.path.join(out, f"{name}-outputs.json"), "w") as f:
        json.dump(result, f)
        f.write("\n")
    print(f"{name}: eval max |y| {np.abs(np.array(result['eval'])).max():.4g}, train logits max |y| "
          f"{np.abs(np.array(train['logits'])).max():.4g}", file=sys.stderr)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name in MODELS:
        run(name, sys.argv[1])


if __name__ == "__main__":
    main()
