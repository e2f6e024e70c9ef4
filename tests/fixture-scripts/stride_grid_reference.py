"""Reference values of the stride-grid measure (src/NeuralStyle/Quality/StrideGrid.cs) from numpy.

Writes tests/NeuralStyle.Tests/Fixtures/quality/stride_grid.json: three small 8-bit RGB images made here from a fixed
seed (48x40, stored as their pixel values, row-major RGB) and G_p of each at p = 7, 8, 9 and 16, with the measure
max(G_8, G_16). The images: plain noise; a smooth colour ramp with noise and a faint period-8 dot grid starting at
(3, 5); noise with a period-16 dot grid at (0, 0) under a quadratic vignette (every high-pass value gets the same
offset from the vignette, which must not count as a grid).

The definition, written here from the spec rather than from the C# code:
  L = 0.299 R + 0.587 G + 0.114 B in float32, evaluated as the C# side does ((0.299f*r + 0.587f*g) + 0.114f*b), then
      taken to double; every later step is double;
  h = L - (3x3 box mean of L) on the interior (the one-pixel border is left out), here by summing shifted slices;
  phase of interior pixel (x, y), in image coordinates: (x mod p, y mod p);
  G_p = [sum_k n_k (m_k - m)^2 / (p^2 - 1)] / [sum (h - m)^2 / (N - 1)], n_k and m_k the count and mean of h in phase
      class k, m the mean and N the count of all interior pixels (one-way ANOVA between the phase classes over the
      total variance: 1 for uncorrelated h).
Run from the repository root with Debian's interpreter: /usr/bin/python3 tests/fixture-scripts/stride_grid_reference.py
"""
import json
import os

import numpy as np

OUT = os.path.join("tests", "NeuralStyle.Tests", "Fixtures", "quality", "stride_grid.json")
W, H = 48, 40
PERIODS = (7, 8, 9, 16)


def to_8_bits(img):
    return np.clip(np.floor(img + 0.5), 0, 255).astype(np.uint8)


def dots(period, ox, oy):
    """1 at the pixels (x, y) with x = ox and y = oy modulo the period, else 0."""
    yy, xx = np.mgrid[0:H, 0:W]
    return ((xx % period == ox) & (yy % period == oy)).astype(np.float64)


def images():
    rng = np.random.RandomState(12)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    noise = rng.uniform(0, 255, size=(H, W, 3))
    ramp = np.stack([40 + 3.1 * xx, 30 + 2.3 * yy + 1.1 * xx, 180 - 1.7 * xx - 2.2 * yy], axis=-1)
    ramp_grid = ramp + rng.normal(0, 6, size=(H, W, 3)) + 9 * dots(8, 3, 5)[:, :, None]
    vignette = 60 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2)
    grid16 = 120 + rng.normal(0, 8, size=(H, W, 3)) - vignette[:, :, None] + 80 * dots(16, 0, 0)[:, :, None]
    return {"noise": to_8_bits(noise), "ramp_grid8": to_8_bits(ramp_grid), "vignette_grid16": to_8_bits(grid16)}


def luminance(img):
    v = img.astype(np.float32)
    r, g, b = v[:, :, 0], v[:, :, 1], v[:, :, 2]
    y = np.float32(0.299) * r + np.float32(0.587) * g
    y = y + np.float32(0.114) * b
    assert y.dtype == np.float32
    return y.astype(np.float64)


def high_pass(lum):
    h, w = lum.shape
    box = np.zeros((h - 2, w - 2))
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            box += lum[dy:dy + h - 2, dx:dx + w - 2]
    return lum[1:-1, 1:-1] - box / 9


def grid_ratio(lum, p):
    h = high_pass(lum)
    ys, xs = np.mgrid[1:lum.shape[0] - 1, 1:lum.shape[1] - 1]
    m = h.mean()
    total = float(((h - m) ** 2).sum())
    if total == 0:
        return 1.0
    between = 0.0
    for a in range(p):
        for b in range(p):
            cls = h[(xs % p == a) & (ys % p == b)]
            assert cls.size > 0
            between += cls.size * (cls.mean() - m) ** 2
    return (between / (p * p - 1)) / (total / (h.size - 1))


def main():
    out = {"generator": "tests/fixture-scripts/stride_grid_reference.py", "numpy": np.__version__, "images": []}
    for name, img in images().items():
        lum = luminance(img)
        ratios = {str(p): grid_ratio(lum, p) for p in PERIODS}
        out["images"].append({
            "name": name, "width": W, "height": H, "pixels": [int(v) for v in img.ravel()],
            "ratios": ratios, "measure": max(ratios["8"], ratios["16"]),
        })
        print(name, {p: round(v, 3) for p, v in ratios.items()})
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
