"""Reference renderings of the Fourier and Laplacian-pyramid image parameterisations, in float64 numpy.

Written from the definitions in src/NeuralStyle/Transfer/Parameterizations/ (not from the C# code): numpy's FFT and
a hand-written half-pixel bilinear upsampling, so the fixture is independent of LibTorch's kernels. Deterministic;
run with Debian's /usr/bin/python3 from the repository root:

    /usr/bin/python3 tests/fixture-scripts/make_parameterization_fixtures.py
"""
import json
import numpy as np

OUT = "tests/NeuralStyle.Tests/Fixtures/parameterizations/parameterizations.json"


def fourier_scale(h, w):
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    f = np.maximum(np.sqrt(fy ** 2 + fx ** 2), 1.0 / max(h, w))
    s = 1.0 / f
    return s / np.sqrt(np.mean(s ** 2))


def fourier_render(v, h, w):
    # v: 3 x h x (w//2+1) x 2 (real, imaginary)
    spectrum = (v[..., 0] + 1j * v[..., 1]) * fourier_scale(h, w)
    return np.stack([np.fft.irfft2(spectrum[c], s=(h, w), norm="ortho") for c in range(3)])


def upsample_bilinear(x, h, w):
    # PyTorch's align_corners=False convention: source = (dst + 0.5) * in / out - 0.5, clamped below at 0.
    c, hi, wi = x.shape

    def axis(n_out, n_in):
        src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
        i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0

    y0, y1, fy = axis(h, hi)
    x0, x1, fx = axis(w, wi)
    top = x[:, y0][:, :, x0] * (1 - fx) + x[:, y0][:, :, x1] * fx
    bottom = x[:, y1][:, :, x0] * (1 - fx) + x[:, y1][:, :, x1] * fx
    return top * (1 - fy)[None, :, None] + bottom * fy[None, :, None]


def pyramid_levels(h, w):
    levels = [(h, w)]
    while min(h, w) >= 16:
        h, w = (h + 1) // 2, (w + 1) // 2
        levels.append((h, w))
    return levels


def pyramid_render(flat, h, w):
    levels = pyramid_levels(h, w)
    parts, offset = [], 0
    for (lh, lw) in levels:
        n = 3 * lh * lw
        parts.append(flat[offset:offset + n].reshape(3, lh, lw))
        offset += n
    image = parts[-1]
    for k in range(len(levels) - 2, -1, -1):
        image = parts[k] + upsample_bilinear(image, *levels[k])
    return image


def main():
    rng = np.random.RandomState(12)
    cases = []
    for (h, w) in [(6, 7), (8, 10), (17, 12)]:
        v = rng.standard_normal((3, h, w // 2 + 1, 2))
        cases.append({"kind": "fourier", "height": h, "width": w, "variable": v.ravel().tolist(),
                      "image": fourier_render(v, h, w).ravel().tolist()})
    for (h, w) in [(9, 11), (16, 20), (33, 18)]:
        n = sum(3 * lh * lw for (lh, lw) in pyramid_levels(h, w))
        flat = rng.standard_normal(n)
        cases.append({"kind": "pyramid", "height": h, "width": w, "levels": [list(l) for l in pyramid_levels(h, w)],
                      "variable": flat.tolist(), "image": pyramid_render(flat, h, w).ravel().tolist()})
    with open(OUT, "w") as f:
        json.dump({"generator": "tests/fixture-scripts/make_parameterization_fixtures.py", "numpy": np.__version__,
                   "cases": cases}, f)


if __name__ == "__main__":
    main()
