#!/usr/bin/python3
"""Writes the .npy fixtures of NpyFile's tests into tests/NeuralStyle.Tests/Fixtures/npy/ (numpy 1.24, Debian 12).

Values follow a formula the C# tests recompute: element i (C order) is float64((i * 37) % 101) / 7 - 5, cast to the
file's dtype (integers: (i * 37) % 101 - 50, uint8: (i * 37) % 101). Deterministic: the same bytes every run.
"""
import io
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "npy")


def values(shape, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    i = np.arange(n, dtype=np.int64)
    if np.dtype(dtype).kind == "f":
        v = ((i * 37) % 101).astype(np.float64) / 7 - 5
    elif np.dtype(dtype).kind == "u":
        v = (i * 37) % 101
    else:
        v = (i * 37) % 101 - 50
    return v.astype(dtype).reshape(shape)


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    if version is None:
        np.save(path, array, allow_pickle=array.dtype.hasobject)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version, allow_pickle=False)
    print(name, array.dtype.str, array.shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    # Readable files.
    save("f4_2x3.npy", values((2, 3), "<f4"))
    save("f4_1x2x3x4.npy", values((1, 2, 3, 4), "<f4"))
    save("f4_7.npy", values((7,), "<f4"))
    save("f4_scalar.npy", values((), "<f4"))
    save("f4_empty.npy", values((0,), "<f4"))
    save("f4_2x0x3.npy", values((2, 0, 3), "<f4"))
    save("f8_3x5.npy", values((3, 5), "<f8"))
    save("f2_6.npy", values((6,), "<f2"))
    save("i8_4.npy", values((4,), "<i8"))
    save("i4_2x2.npy", values((2, 2), "<i4"))
    save("u1_5.npy", values((5,), "|u1"))
    save("v2_f4_3x2.npy", values((3, 2), "<f4"), version=(2, 0))
    save("v3_f4_3x2.npy", values((3, 2), "<f4"), version=(3, 0))
    # numpy must also read back every file, as a check of this script.
    for name in sorted(os.listdir(OUT)):
        np.load(os.path.join(OUT, name))
    # Rejected files.
    save("reject_big_endian.npy", values((2, 3), ">f4"))
    save("reject_fortran.npy", np.asfortranarray(values((2, 3), "<f4")))
    save("reject_object.npy", np.array([1, "a", None], dtype=object))
    save("reject_structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
    save("reject_complex.npy", np.zeros(2, dtype="<c8"))


if __name__ == "__main__":
    main()
