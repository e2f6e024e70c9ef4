"""The smallest square input each torchvision model runs up to the layers the zoo's style transfer uses by default.

An independent reference for InputSizeProbe (tests/NeuralStyle.Tests/Backbones/InputSizeProbeTests.cs): PyTorch's
own modules, forward hooks on the same module paths, sizes tried from 1 upwards.
Run: /usr/bin/python3 tests/fixture-scripts/minimum_input_sides.py > tests/NeuralStyle.Tests/Fixtures/zoo/minimum-sides.json
"""
import json

import torch
import torchvision

# Module paths as ZooFeatureNetwork resolves the default style and content layers (see ZooBackboneLayers).
MODELS = {
    "squeezenet1_1": (torchvision.models.squeezenet1_1, ["features.1", "features.4", "features.6", "features.7", "features.12"]),
    "alexnet": (torchvision.models.alexnet, ["features.1", "features.3", "features.4", "features.11"]),
    "googlenet": (lambda: torchvision.models.googlenet(init_weights=False, aux_logits=False), ["conv1", "conv3", "inception3b", "inception4c", "inception4e", "inception5b"]),
    "inception_v3": (lambda: torchvision.models.inception_v3(init_weights=False, aux_logits=False), ["Conv2d_2b_3x3", "Conv2d_4a_3x3", "Mixed_5d", "Mixed_6c", "Mixed_6e", "Mixed_7c"]),
    "resnet18": (torchvision.models.resnet18, ["relu", "layer1.1", "layer2.1", "layer3.0", "layer3.1", "layer4.0"]),
}


class Done(Exception):
    pass


def runs(model, layers, side):
    modules = dict(model.named_modules())
    seen = set()

    def hook(name):
        def record(_module, _inputs, _output):
            seen.add(name)
            if len(seen) == len(layers):
                raise Done()
        return record

    handles = [modules[name].register_forward_hook(hook(name)) for name in layers]
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, side, side))
    except Done:
        return True
    except RuntimeError:
        return False
    finally:
        for h in handles:
            h.remove()
    return len(seen) == len(layers)


result = {}
for name, (make, layers) in MODELS.items():
    model = make().eval()
    side = 1
    while not runs(model, layers, side):
        side += 1
    result[name] = {"layers": layers, "minimumSide": side}
print(json.dumps(result, indent=2))
