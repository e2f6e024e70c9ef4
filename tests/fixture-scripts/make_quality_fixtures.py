"""Reference values of the picture-quality measures (src/NeuralStyle/Quality) from scikit-image 0.19 and numpy.

Writes tests/NeuralStyle.Tests/Fixtures/quality/quality.json: a few small planes and RGB images (made here from a
fixed seed) with scikit-image's uniform LBP codes at radii 1, 2 and 4, its SSIM (Gaussian window, as the benchmark
uses it) and histogram matching, the mean and median absolute 4-neighbour Laplacian, the colour-noise statistic of
RGB images (median chroma Laplacian after 8-bit rounding), the structure score of luminance planes (SSIM after
matching times the contrast kept), and scipy's 1-D Wasserstein distances (the colour measure).
Run from the repository root with Debian's interpreter: /usr/bin/python3 tests/fixture-scripts/make_quality_fixtures.py
"""
import json
import os

import numpy as np
import skimage
from skimage.exposure import match_histograms
from skimage.feature import local_binary_pattern
from skimage.metrics import structural_similarity
from scipy.stats import wasserstein_distance

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


def images():
    """Small float32 RGB images (values as the C# side holds them): smooth colour, speckled, dark, and one with
    values outside 0..255 (the colour measure clips, the colour noise rounds and clips)."""
    rng = np.random.RandomState(7)
    yy, xx = np.mgrid[0:16, 0:18].astype(np.float64)
    gradient = np.stack([60 + 9.3 * xx, 40 + 7.1 * yy, 200 - 5.3 * xx - 3.9 * yy], axis=-1)
    speckled = gradient + rng.uniform(-25, 25, size=gradient.shape)
    dark = rng.uniform(0, 64, size=gradient.shape)
    out_of_range = gradient * 1.6 - 60
    return {k: v.astype(np.float32).astype(np.float64) for k, v in
            (("gradient", gradient), ("speckled", speckled), ("dark", dark), ("out_of_range", out_of_range))}


def lbp_histogram(codes):
    return [float(np.count_nonzero(codes == k)) / codes.size for k in range(10)]


def abs_laplacian(p):
    c = p[1:-1, 1:-1]
    return np.abs(4 * c - p[1:-1, :-2] - p[1:-1, 2:] - p[:-2, 1:-1] - p[2:, 1:-1])


def mean_abs_laplacian(p):
    return float(np.mean(abs_laplacian(p)))


def median_abs_laplacian(p):
    return float(np.median(abs_laplacian(p)))


def to_8_bits(img):
    # RgbImage.ToBytesClipped in float32: 255 from 254.5 up, 0 at or below 0, else floor(v + 0.5).
    v = img.astype(np.float32)
    return np.where(v >= np.float32(254.5), 255, np.where(v > 0, np.floor(v + np.float32(0.5)), 0)).astype(np.float64)


def colour_noise(img):
    """Mean over Cb and Cr (full-range BT.601) of the median |Laplacian| of the image rounded to 8 bits."""
    v = to_8_bits(img)
    r, g, b = v[:, :, 0], v[:, :, 1], v[:, :, 2]
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return (median_abs_laplacian(cb) + median_abs_laplacian(cr)) / 2


def structure(result, content):
    """SSIM of the histogram-matched result and the content, times min(1, std(result) / std(content))."""
    kept = min(1.0, float(np.std(result)) / float(np.std(content)))
    return ssim(match_histograms(result, content), content) * kept


def colour_distance(a, b):
    return sum(wasserstein_distance(np.clip(a[:, :, k], 0, 255).ravel(), np.clip(b[:, :, k], 0, 255).ravel())
               for k in range(3))


def ssim(a, b):
    return float(structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                       data_range=255, K1=0.01, K2=0.03))


def main():
    ps = planes()
    out = {"generator": "tests/fixture-scripts/make_quality_fixtures.py", "skimage": skimage.__version__,
           "planes": [], "lbp": [], "laplacian": [], "ssim": [], "match": [], "structure": [], "wasserstein": [],
           "images": [], "colour_noise": [], "colour_distance": []}
    for name, p in ps.items():
        out["planes"].append({"name": name, "width": W, "height": H, "values": [float(v) for v in p.ravel()]})
        out["laplacian"].append({"plane": name, "value": mean_abs_laplacian(p), "median": median_abs_laplacian(p)})
        for r in (1, 2, 4):
            codes = local_binary_pattern(p, P=8, R=r, method="uniform")
            out["lbp"].append({"plane": name, "radius": r, "codes": [int(c) for c in codes.ravel()],
                               "histogram": lbp_histogram(codes)})
    for a, b in (("noisy", "ramp"), ("ramp", "blocks"), ("blocks", "noisy"), ("ramp", "ramp")):
        out["ssim"].append({"a": a, "b": b, "value": ssim(ps[a], ps[b])})
    for s, r in (("ramp", "noisy"), ("noisy", "blocks")):
        matched = match_histograms(ps[s], ps[r])
        out["match"].append({"source": s, "reference": r, "values": [float(v) for v in matched.ravel()]})
    for r, c in (("ramp", "blocks"), ("noisy", "ramp"), ("ramp", "ramp")):
        out["structure"].append({"result": r, "content": c, "value": structure(ps[r], ps[c])})
    # The faded ramp keeps 30% of the ramp's spread: matching alone would call it the ramp (SSIM 1).
    faded = 0.3 * ps["ramp"] + 20
    out["planes"].append({"name": "faded", "width": W, "height": H, "values": [float(v) for v in faded.ravel()]})
    out["structure"].append({"result": "faded", "content": "ramp", "value": structure(faded, ps["ramp"])})
    rng = np.random.RandomState(5)
    samples = [rng.normal(0, 1, 50), rng.normal(2, 3, 70), np.array([0.0, 0.0, 1.0, 5.0]), np.array([0.0, 1.0, 1.0, 2.0, 7.0, 7.0])]
    for i, j in ((0, 1), (1, 0), (2, 3), (2, 2), (0, 3)):
        out["wasserstein"].append({"a": [float(v) for v in samples[i]], "b": [float(v) for v in samples[j]],
                                   "value": float(wasserstein_distance(samples[i], samples[j]))})
    imgs = images()
    for name, img in imgs.items():
        h, w, _ = img.shape
        out["images"].append({"name": name, "width": w, "height": h, "pixels": [float(v) for v in img.ravel()]})
        out["colour_noise"].append({"image": name, "value": colour_noise(img)})
    for a, b in (("gradient", "speckled"), ("speckled", "dark"), ("dark", "gradient"), ("out_of_range", "gradient")):
        out["colour_distance"].append({"a": a, "b": b, "value": colour_distance(imgs[a], imgs[b])})
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
