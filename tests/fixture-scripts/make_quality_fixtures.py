"""Reference values of the picture-quality measures (src/NeuralStyle/Quality) from scikit-image 0.19 and numpy.

Writes tests/NeuralStyle.Tests/Fixtures/quality/quality.json: a few small planes and RGB images (made here from a
fixed seed) with scikit-image's uniform LBP codes at radii 1, 2 and 4, its SSIM (Gaussian window, as the benchmark
uses it) and histogram matching, numpy's 16-bin RGB histograms, and the mean absolute 4-neighbour Laplacian.
Run from the repository root with Debian's interpreter: /usr/bin/python3 tests/fixture-scripts/make_quality_fixtures.py
"""
import json
import os

import numpy as np
import skimage
from skimage.exposure import match_histograms
from skimage.feature import local_binary_pattern
from skimage.metrics import structural_similarity

OUT = os.path.join("tests", "NeuralStyle.Tests", "Fixtures", "quality", "quality.json")
W, H = 24, 20


def planes():
    rng = np.random.RandomState(12)
    yy, xx = np.mgrid[0:H, 0:W]
    noisy = rng.randint(0, 256, size=(H, W)).astype(np.float64)
    # Flat blocks and a step: ties between centre and neighbours, the case LBP's ">= 0" decides.
    blocks = np.where(xx < W // 2, 60.0, 190.0)
    blocks[5:9, 3:7] = 120.0
    # A smooth ramp plus mild noise, non-integer values.
    ramp = 3.7 * xx + 2.1 * yy + rng.normal(0, 4, size=(H, W))
    return {"noisy": noisy, "blocks": blocks, "ramp": ramp}


def lbp_histogram(codes):
    return [float(np.count_nonzero(codes == k)) / codes.size for k in range(10)]


def mean_abs_laplacian(p):
    c = p[1:-1, 1:-1]
    lap = 4 * c - p[1:-1, :-2] - p[1:-1, 2:] - p[:-2, 1:-1] - p[2:, 1:-1]
    return float(np.mean(np.abs(lap)))


def ssim(a, b):
    return float(structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                       data_range=255, K1=0.01, K2=0.03))


def main():
    ps = planes()
    out = {"generator": "tests/fixture-scripts/make_quality_fixtures.py", "skimage": skimage.__version__,
           "planes": [], "lbp": [], "laplacian": [], "ssim": [], "match": [], "rgb": []}
    for name, p in ps.items():
        out["planes"].append({"name": name, "width": W, "height": H, "values": [float(v) for v in p.ravel()]})
        out["laplacian"].append({"plane": name, "value": mean_abs_laplacian(p)})
        for r in (1, 2, 4):
            codes = local_binary_pattern(p, P=8, R=r, method="uniform")
            out["lbp"].append({"plane": name, "radius": r, "codes": [int(c) for c in codes.ravel()],
                               "histogram": lbp_histogram(codes)})
    for a, b in (("noisy", "ramp"), ("ramp", "blocks"), ("blocks", "noisy"), ("ramp", "ramp")):
        out["ssim"].append({"a": a, "b": b, "value": ssim(ps[a], ps[b])})
    for s, r in (("ramp", "noisy"), ("noisy", "blocks")):
        matched = match_histograms(ps[s], ps[r])
        out["match"].append({"source": s, "reference": r, "values": [float(v) for v in matched.ravel()]})
    rng = np.random.RandomState(7)
    for name in ("random", "dark"):
        img = rng.randint(0, 256, size=(16, 18, 3))
        if name == "dark":
            img = img // 4
        hist = []
        for ch in range(3):
            counts, _ = np.histogram(img[:, :, ch], bins=16, range=(0, 256))
            hist += [float(c) / (16 * 18) for c in counts]
        out["rgb"].append({"name": name, "width": 18, "height": 16, "pixels": [int(v) for v in img.ravel()],
                           "color_signature": hist})
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
