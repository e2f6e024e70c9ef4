#!/usr/bin/python3
"""Writes the safetensors fixture of SafeTensorsFile's tests into tests/NeuralStyle.Tests/Fixtures/safetensors/.

Debian 12's /usr/bin/python3 has torch 1.13 and numpy but not the `safetensors` package, so the file is written here
with struct and json, following the format's specification (huggingface/safetensors README, "Format"):

  8 bytes: N, unsigned little-endian; N bytes: UTF-8 JSON {"__metadata__": {str: str}, NAME: {"dtype", "shape",
  "data_offsets": [begin, end]}, ...}, padded with spaces; then the data region, little-endian, C order, the tensors
  covering it without holes.

The layout is the one the reference serializer (safetensors.torch.save_file) produces: tensors sorted by dtype in
the reverse order of the reference's Dtype enum (I64, F64, F32, I32, BF16, F16, U8, BOOL here), then by name; "__metadata__" first; compact JSON (no spaces) padded to a multiple of 8 bytes.
The C# writer must reproduce this file byte for byte.

The values are torch's (seeded randn, cast to each dtype, plus exact extremes of float16 and bfloat16);
expected.json records, for every tensor in header order, its dtype, shape and elements as float64 (exact for every
dtype here), and the metadata. The script reads its own file back with an independent parse and checks every value.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "safetensors")

# name, element size, position in the reference's Dtype enum (BOOL U8 I8 ... I16 U16 F16 BF16 I32 U32 F32 F64 I64 U64).
DTYPES = {
    torch.int64: ("I64", 8, 18), torch.float64: ("F64", 8, 17),
    torch.float32: ("F32", 4, 15), torch.int32: ("I32", 4, 13),
    torch.bfloat16: ("BF16", 2, 12), torch.float16: ("F16", 2, 11),
    torch.uint8: ("U8", 1, 4), torch.bool: ("BOOL", 1, 0),
}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().tobytes()  # numpy has no bfloat16
    if t.dtype == torch.bool:
        return t.to(torch.uint8).numpy().tobytes()
    return t.numpy().tobytes()


def tensors():
    g = torch.Generator().manual_seed(13)
    extremes16 = torch.tensor([65504.0, -65504.0, 6.103515625e-05, 5.960464477539063e-08, -0.0, 1.0 / 3.0])
    extremesb16 = torch.tensor([3.3895313892515355e38, -1.0 / 3.0, 9.183549615799121e-41, 1.1754943508222875e-38])
    return {
        "conv.weight": torch.randn(4, 3, 3, 3, generator=g) * 0.1,
        "conv.bias": torch.randn(4, generator=g),
        "norm.running_var": torch.rand(4, generator=g).double() + 0.5,
        "norm.num_batches_tracked": torch.tensor(3, dtype=torch.int64),
        "half.weight": torch.cat([torch.randn(6, generator=g) * 3, extremes16]).reshape(3, 4).half(),
        "bf16.weight": torch.cat([torch.randn(8, generator=g), extremesb16]).reshape(2, 2, 3).bfloat16(),
        "double.weight": torch.randn(2, 2, 2, generator=g, dtype=torch.float64),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "mask": torch.tensor([True, False, False, True, True]),
        "pixels": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        "counts": torch.tensor([[-7, 2**31 - 1], [-(2**31), 0]], dtype=torch.int32),
    }


def serialize(named, metadata):
    order = sorted(named, key=lambda n: (-DTYPES[named[n].dtype][2], n))
    header = {"__metadata__": metadata}
    data = bytearray()
    for name in order:
        t = named[name]
        b = raw_bytes(t)
        assert len(b) == t.numel() * DTYPES[t.dtype][1]
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + bytes(data), order


def read_back(blob):
    (n,) = struct.unpack_from("<Q", blob, 0)
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    back = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        kind = {"F64": torch.float64, "I64": torch.int64, "F32": torch.float32, "I32": torch.int32, "F16": torch.float16,
                "BF16": torch.bfloat16, "U8": torch.uint8, "BOOL": torch.bool}[e["dtype"]]
        raw = torch.frombuffer(bytearray(data[begin:end]) or bytearray(1), dtype=torch.uint8)[: end - begin]
        back[name] = (raw.view(kind) if end > begin else torch.zeros(0, dtype=kind)).reshape(e["shape"])
    return header, back


def main():
    os.makedirs(OUT, exist_ok=True)
    named = tensors()
    metadata = {"format": "pt", "source": "make_safetensors_fixtures.py"}
    blob, order = serialize(named, metadata)
    header, back = read_back(blob)
    assert list(header)[1:] == order
    for name, t in named.items():
        assert back[name].dtype == t.dtype and torch.equal(back[name], t), name
    with open(os.path.join(OUT, "mixed.safetensors"), "wb") as f:
        f.write(blob)
    expected = {
        "metadata": metadata,
        "tensors": [{"name": n, "dtype": DTYPES[named[n].dtype][0], "shape": list(named[n].shape),
                     "values": [float(v) for v in named[n].to(torch.float64).flatten().tolist()]} for n in order],
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"mixed.safetensors: {len(blob)} bytes, {len(order)} tensors")


if __name__ == "__main__":
    main()
