#!/usr/bin/python3
"""Reference figures and runs of Debian's torchvision models, for the model zoo's tests.

  torchvision_reference.py keys OUT.json
      Every torchvision model of the zoo: its parameter count and its state-dict keys with shapes and dtypes
      (buffers included), in state-dict order. Committed as tests/NeuralStyle.Tests/Fixtures/zoo/torchvision-keys.json.

  torchvision_reference.py run NAME OUTDIR [--seed S] [--batch B] [--size HxW]
      Builds NAME with random weights (torch.manual_seed(S)), saves its state_dict with torch.save
      (OUTDIR/state_dict.pth), a fixed input (OUTDIR/input.npy, float32, standard normal from seed S + 1) and the
      model's output in eval mode (OUTDIR/output.npy). The zoo's agreement tests call this at test time for the
      large models (their weights are too big to commit): see tests/fixture-scripts/README.md.

  torchvision_reference.py classify NAME WEIGHTS IMAGE [--top K]
      torchvision's standard preprocessing of IMAGE for NAME, then the model with WEIGHTS in eval mode; prints the
      top K class indices and probabilities as JSON. The reference for `neural-style classify`.

Deterministic: one thread, deterministic algorithms, fixed seeds. Needs /usr/bin/python3 with python3-torch and
python3-torchvision (Debian 12: torch 1.13, torchvision 0.14).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torchvision

# The zoo's names of the models torchvision has, with the constructor arguments that give the reference
# configuration (aux heads built, no input transform, weights=None so nothing is downloaded).
MODELS = {
    "alexnet": {},
    "vgg11": {}, "vgg13": {}, "vgg16": {}, "vgg19": {},
    "vgg11_bn": {}, "vgg13_bn": {}, "vgg16_bn": {}, "vgg19_bn": {},
    "googlenet": {"aux_logits": True, "transform_input": False, "init_weights": True},
    "inception_v3": {"aux_logits": True, "transform_input": False, "init_weights": True},
    "resnet18": {}, "resnet34": {}, "resnet50": {}, "resnet101": {}, "resnet152": {},
    "squeezenet1_0": {}, "squeezenet1_1": {},
}

CANONICAL = {"inception_v3": (299, 299)}


def build(name):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    return getattr(torchvision.models, name)(weights=None, **MODELS[name])


def keys(out):
    result = {}
    for name in MODELS:
        torch.manual_seed(0)
        model = build(name)
        result[name] = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
            "keys": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()],
        }
        print(f"{name}: {result[name]['parameters']} parameters, {len(result[name]['keys'])} keys", file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "models": result}, f, indent=1)
        f.write("\n")


def run(name, outdir, seed, batch, size):
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(seed)
    model = build(name).eval()
    torch.save(model.state_dict(), os.path.join(outdir, "state_dict.pth"))
    h, w = size or CANONICAL.get(name, (224, 224))
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(batch, 3, h, w, generator=g)
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(outdir, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(outdir, "output.npy"), y.numpy().astype(np.float32))


def classify(name, weights, image, top):
    from PIL import Image
    from torchvision import transforms

    model = build(name)
    model.load_state_dict(torch.load(weights))
    model.eval()
    crop, resize = (299, 342) if name == "inception_v3" else (224, 256)
    preprocess = transforms.Compose([
        transforms.Resize(resize),
        transforms.CenterCrop(crop),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    x = preprocess(Image.open(image).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        p = torch.softmax(model(x), dim=1)[0]
    values, indices = p.topk(top)
    print(json.dumps({"indices": indices.tolist(), "probabilities": values.tolist()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keys")
    k.add_argument("out")
    r = sub.add_parser("run")
    r.add_argument("name", choices=sorted(MODELS))
    r.add_argument("outdir")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--batch", type=int, default=2)
    r.add_argument("--size", default=None, help="HxW (default: the canonical input)")
    c = sub.add_parser("classify")
    c.add_argument("name", choices=sorted(MODELS))
    c.add_argument("weights")
    c.add_argument("image")
    c.add_argument("--top", type=int, default=5)
    a = parser.parse_args()
    if a.command == "keys":
        keys(a.out)
    elif a.command == "run":
        size = tuple(int(v) for v in a.size.split("x")) if a.size else None
        run(a.name, a.outdir, a.seed, a.batch, size)
    else:
        classify(a.name, a.weights, a.image, a.top)


if __name__ == "__main__":
    main()
