#!/usr/bin/python3
"""Multiply-adds of Debian's torchvision models, counted layer by layer with forward hooks, for the zoo's summary tests.

  torchvision_multiply_adds.py OUT.json

For every torchvision model of the zoo, in evaluation mode at its canonical input (batch 1): each Conv2d and Linear
call in execution order with its module path (named_modules) and its multiply-adds, counted as torchvision's
published "GFLOPS" do: a convolution costs output elements x (in_channels / groups) x kernel area, a Linear output
elements x in_features; nothing else counts. Committed as tests/NeuralStyle.Tests/Fixtures/zoo/torchvision-multiply-adds.json.

An independent count of the convention `neural-style models summary` implements: the C# summary must give the same
paths in the same order and the same figures exactly. Needs /usr/bin/python3 with python3-torch and
python3-torchvision (Debian 12: torch 1.13, torchvision 0.14).
"""
import json
import sys

import torch
import torchvision

MODELS = {
    "alexnet": {},
    "vgg11": {}, "vgg13": {}, "vgg16": {}, "vgg19": {},
    "vgg11_bn": {}, "vgg13_bn": {}, "vgg16_bn": {}, "vgg19_bn": {},
    "googlenet": {"aux_logits": True, "transform_input": False, "init_weights": True},
    "inception_v3": {"aux_logits": True, "transform_input": False, "init_weights": True},
    "resnet18": {}, "resnet34": {}, "resnet50": {}, "resnet101": {}, "resnet152": {},
    "squeezenet1_0": {}, "squeezenet1_1": {},
}

CANONICAL = {"inception_v3": 299}


def count(name):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None, **MODELS[name]).eval()
    layers = []

    def hook(path):
        def record(module, inputs, output):
            if isinstance(module, torch.nn.Conv2d):
                k = module.kernel_size[0] * module.kernel_size[1]
                macs = output.numel() // output.shape[0] * (module.in_channels // module.groups) * k
            else:
                macs = output.numel() // output.shape[0] * module.in_features
            layers.append([path, macs])
        return record

    for path, module in model.named_modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            module.register_forward_hook(hook(path))
    size = CANONICAL.get(name, 224)
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    return {"input": [3, size, size], "multiplyAdds": sum(m for _, m in layers), "layers": layers}


def main():
    out = sys.argv[1]
    result = {}
    for name in MODELS:
        result[name] = count(name)
        print(f"{name}: {result[name]['multiplyAdds'] / 1e9:.4f} G", file=sys.stderr)
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "models": result}, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
