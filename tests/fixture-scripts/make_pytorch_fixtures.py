#!/usr/bin/python3
"""Writes the torch.save fixtures of PyTorchCheckpoint's tests into tests/NeuralStyle.Tests/Fixtures/pytorch/.

Needs Debian 12's /usr/bin/python3 with python3-torch (1.13) and numpy. Deterministic (fixed seeds, one thread),
although torch.save's zip entries are not guaranteed byte-identical across torch versions. About 40 KB in all.

TinyNet (conv 3->4 3x3 pad 1, BatchNorm2d(4), ReLU, global average pool, Linear 4->5) is mirrored by a test-only
TorchSharp module in tests/NeuralStyle.Tests/Weights/TinyNet.cs; its running statistics come from three training
steps so that they, and num_batches_tracked (3), are not the defaults.
"""
import json
import os

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "pytorch")


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def path(name):
    return os.path.join(OUT, name)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = TinyNet()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    for _ in range(3):
        loss = net(torch.randn(2, 3, 6, 5)).square().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    net.eval()
    state = net.state_dict()
    assert int(state["bn.num_batches_tracked"]) == 3

    torch.save(state, path("tiny_net.pth"))
    x = torch.randn(2, 3, 7, 6, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        y = net(x)
    np.save(path("tiny_net_input.npy"), x.numpy())
    np.save(path("tiny_net_output.npy"), y.numpy())

    # ENet-style checkpoint: the state dict nested under 'state_dict' beside other entries.
    torch.save({"epoch": 7, "miou": 0.5, "state_dict": state, "optimizer": optimizer.state_dict()}, path("nested_state_dict.pth"))
    torch.save({"model": state, "epoch": 1}, path("nested_model.pth"))
    torch.save({"model": state, "state_dict": state}, path("reject_ambiguous.pth"))
    torch.save(nn.DataParallel(net).state_dict(), path("data_parallel.pth"))
    torch.save({k: v.double() if v.is_floating_point() else v for k, v in state.items()}, path("tiny_net_f64.pth"))

    # Views of one shared storage: offsets, strides (a transpose, a column, a zero-stride expand) and an empty slice.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = {
        "row": base[1],
        "column": base[:, 2],
        "block": base[1:3, 2:5],
        "transposed": base.t(),
        "whole": base,
        "expanded": base[3:4, :].expand(3, 6),
        "empty": base[:0],
        "scalar": base[2, 3],
    }
    torch.save(views, path("views.pth"))
    torch.save({
        "f64": torch.arange(6, dtype=torch.float64).reshape(2, 3) / 3,
        "f16": torch.tensor([0.5, -2.0, 1024.0], dtype=torch.float16),
        "bf16": torch.tensor([1.5, -3.0], dtype=torch.bfloat16),
        "i64": torch.tensor(12345678901, dtype=torch.int64),
        "i32": torch.tensor([-7, 8], dtype=torch.int32),
        "i16": torch.tensor([-300], dtype=torch.int16),
        "i8": torch.tensor([-5, 6], dtype=torch.int8),
        "u8": torch.tensor([200, 1], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
    }, path("dtypes.pth"))
    torch.save({}, path("empty.pth"))

    # Files that are not state dicts.
    # The legacy format (_use_new_zipfile_serialization=False) is read now: make_legacy_pth.py writes its fixtures.
    torch.save(net, path("reject_whole_module.pth"))
    torch.save([state["conv.weight"], state["fc.bias"]], path("reject_list.pth"))
    torch.save({"epoch": 3, "weights": state["fc.bias"]}, path("reject_mixed.pth"))
    # What torch itself reads back from every readable file: keys in order, shapes, dtypes and values.
    manifest = {}
    for name in sorted(os.listdir(OUT)):
        if name.endswith(".pth") and not name.startswith("reject_"):
            loaded = torch.load(path(name))
            sd = loaded if "tiny_net" in name or name in ("views.pth", "dtypes.pth", "empty.pth", "data_parallel.pth") else loaded.get("state_dict", loaded.get("model"))
            manifest[name] = [[k, list(v.shape), str(v.dtype).replace("torch.", ""), v.double().flatten().tolist()] for k, v in sd.items()]
    with open(path("manifest.json"), "w") as f:
        files = [json.dumps(n) + ": [\n" + ",\n".join("  " + json.dumps(e) for e in entries) + "\n ]" for n, entries in manifest.items()]
        f.write("{\n " + ",\n ".join(files) + "\n}\n")
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(path(name)))


if __name__ == "__main__":
    main()
