#!/usr/bin/python3
"""Make the tiny VGG-19-shaped MatConvNet fixtures and the synthetic test images.

Run with Debian's interpreter (numpy, scipy and PIL are needed; torch is not):

    /usr/bin/python3 tests/fixture-scripts/make_tiny_vgg.py

Writes into tests/NeuralStyle.Tests/Fixtures/tinyvgg/ (or the folder given with --out):

  tiny-vgg-old.mat      MatConvNet "beta16" layout (what the seed's vgg.py reads), uncompressed MAT v5
  tiny-vgg-current.mat  MatConvNet "current" layout (vl_simplenn_tidy style), compressed MAT v5
  content.png           37 x 29 (W x H) RGB
  style1.png            37 x 31 RGB (same width as content: the seed's style scale is exactly 1)
  style2.png            37 x 23 RGB (same width as content)
  content-gray.png      the content image as 8-bit grayscale (PIL "L" conversion)
  content-alpha.png     the content image's RGB plus a varying alpha channel (RGBA)

Both .mat files hold bit-identical float32 weights.  Everything is deterministic: the weights and the
image noise come from numpy's legacy RandomState (its stream is frozen across numpy versions), and the
timestamp savemat writes into the 116-byte MAT header is replaced by a fixed text, so re-running the
script reproduces the files byte for byte (for the compressed file: given the same zlib).

Network (VGG-19's 43 MatConvNet layers, narrow channels):
  conv1_x 3->4->4, conv2_x 4->6->6, conv3_x 6->8->8->8->8, conv4_x 8->8 x4, conv5_x 8->8 x4,
  pool1..pool5, fc6 7x7x8x16, fc7 1x1x16x16, fc8 1x1x16x10, prob (softmax).
Kernels are He-scaled N(0, 2/(kh*kw*Cin)) draws (so not symmetric: a transposed or flipped kernel
gives clearly different features), biases N(0, 5^2) so that a forgotten bias shows too.
Kernel layout is MatConvNet's H x W x Cin x Cout (first axis = y), i.e. in PyTorch
weight[o, i, y, x] = kernel[y, x, i, o].
"""

import argparse
import os
import sys

import numpy as np
import scipy.io
from PIL import Image

SEED = 20240601
MEAN_RGB = (123.68, 116.779, 103.939)
FIXED_HEADER = b"MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 (NeuralStyle tiny-vgg fixture)"

VGG19_LAYERS = (
    'conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1',
    'conv2_1', 'relu2_1', 'conv2_2', 'relu2_2', 'pool2',
    'conv3_1', 'relu3_1', 'conv3_2', 'relu3_2', 'conv3_3', 'relu3_3', 'conv3_4', 'relu3_4', 'pool3',
    'conv4_1', 'relu4_1', 'conv4_2', 'relu4_2', 'conv4_3', 'relu4_3', 'conv4_4', 'relu4_4', 'pool4',
    'conv5_1', 'relu5_1', 'conv5_2', 'relu5_2', 'conv5_3', 'relu5_3', 'conv5_4', 'relu5_4', 'pool5',
    'fc6', 'relu6', 'fc7', 'relu7', 'fc8', 'prob',
)
assert len(VGG19_LAYERS) == 43

# name -> (kh, kw, cin, cout)
CONV_SHAPES = {
    'conv1_1': (3, 3, 3, 4), 'conv1_2': (3, 3, 4, 4),
    'conv2_1': (3, 3, 4, 6), 'conv2_2': (3, 3, 6, 6),
    'conv3_1': (3, 3, 6, 8), 'conv3_2': (3, 3, 8, 8), 'conv3_3': (3, 3, 8, 8), 'conv3_4': (3, 3, 8, 8),
    'conv4_1': (3, 3, 8, 8), 'conv4_2': (3, 3, 8, 8), 'conv4_3': (3, 3, 8, 8), 'conv4_4': (3, 3, 8, 8),
    'conv5_1': (3, 3, 8, 8), 'conv5_2': (3, 3, 8, 8), 'conv5_3': (3, 3, 8, 8), 'conv5_4': (3, 3, 8, 8),
    'fc6': (7, 7, 8, 16), 'fc7': (1, 1, 16, 16), 'fc8': (1, 1, 16, 10),
}
CLASS_NAMES = ['n0000000%d' % k for k in range(10)]
CLASS_DESCRIPTIONS = ['tiny class %d' % k for k in range(10)]


def kind_of(name):
    if name.startswith('conv') or name.startswith('fc'):
        return 'conv'
    if name.startswith('relu'):
        return 'relu'
    if name.startswith('pool'):
        return 'pool'
    return 'softmax'


def make_weights():
    """name -> (kernel float32 HxWxCinxCout, bias float32 (Cout,)), drawn in layer order."""
    rs = np.random.RandomState(SEED)
    weights = {}
    for name in VGG19_LAYERS:
        if kind_of(name) != 'conv':
            continue
        kh, kw, cin, cout = CONV_SHAPES[name]
        std = np.sqrt(2.0 / (kh * kw * cin))
        kernel = (rs.standard_normal((kh, kw, cin, cout)) * std).astype(np.float32)
        bias = (rs.standard_normal(cout) * 5.0).astype(np.float32)
        weights[name] = (kernel, bias)
    return weights


# ---------------------------------------------------------------------------------------------
# MATLAB value helpers (scipy.io.savemat conventions)
#   struct  -> numpy structured array of shape (1, 1) with object fields, field order = MATLAB order
#   cell    -> numpy object array of the cell's shape
#   string  -> python str (written as a 1 x n char array)
#   numbers -> 2-D (or N-D) numpy arrays, written column-major so numpy index [a, b, ...] is MATLAB (a+1, b+1, ...)
# ---------------------------------------------------------------------------------------------

def struct(fields):
    """A 1x1 MATLAB struct from a list of (name, value) pairs (keeps the order)."""
    arr = np.empty((1, 1), dtype=[(k, object) for k, _ in fields])
    for k, v in fields:
        arr[0, 0][k] = v
    return arr


def cell(values, shape=None):
    values = list(values)
    if shape is None:
        shape = (1, len(values))
    arr = np.empty(shape, dtype=object)
    for idx, v in zip(np.ndindex(*shape), values):
        arr[idx] = v
    return arr


def row(*values, dtype=np.float64):
    return np.array([values], dtype=dtype)


def old_layer(name, weights):
    kind = kind_of(name)
    if kind == 'conv':
        kernel, bias = weights[name]
        return struct([
            ('weights', cell([kernel, bias.reshape(1, -1)])),  # bias as a 1 x Cout row
            ('pad', row(0, 0, 0, 0) if name.startswith('fc') else row(1, 1, 1, 1)),
            ('type', 'conv'),
            ('name', name),
            ('stride', row(1, 1)),
        ])
    if kind == 'relu':
        return struct([('type', 'relu'), ('name', name)])
    if kind == 'pool':
        return struct([
            ('name', name),
            ('stride', row(2, 2)),
            ('pad', row(0, 0, 0, 0)),
            ('type', 'pool'),
            ('method', 'max'),
            ('pool', row(2, 2)),
        ])
    return struct([('type', 'softmax'), ('name', name)])


def current_layer(name, weights):
    kind = kind_of(name)
    if kind == 'conv':
        kernel, bias = weights[name]
        return struct([
            ('name', name),
            ('type', 'conv'),
            ('weights', cell([kernel, bias.reshape(-1, 1)])),  # bias as a Cout x 1 column
            ('size', row(*kernel.shape)),
            ('pad', row(0, 0, 0, 0) if name.startswith('fc') else row(1, 1, 1, 1)),
            ('stride', row(1, 1)),
            ('precious', np.array([[False]])),
            ('dilate', row(1, 1)),
            ('opts', np.empty((0, 0), dtype=object)),
        ])
    if kind == 'relu':
        return struct([
            ('name', name),
            ('type', 'relu'),
            ('leak', row(0)),
            ('precious', np.array([[False]])),
        ])
    if kind == 'pool':
        return struct([
            ('name', name),
            ('type', 'pool'),
            ('method', 'max'),
            ('pool', row(2, 2)),
            ('stride', row(2, 2)),
            ('pad', row(0, 1, 0, 1)),
            ('precious', np.array([[False]])),
            ('opts', np.empty((0, 0), dtype=object)),
        ])
    return struct([('name', name), ('type', 'softmax'), ('precious', np.array([[False]]))])


def classes_struct():
    return struct([
        ('name', cell(CLASS_NAMES)),
        ('description', cell(CLASS_DESCRIPTIONS)),
    ])


def old_mat(weights):
    avg = np.empty((8, 8, 3), dtype=np.float64)
    avg[:, :, :] = np.array(MEAN_RGB)
    return {
        'layers': cell([old_layer(n, weights) for n in VGG19_LAYERS]),
        'normalization': struct([
            ('averageImage', avg),  # first field: the seed indexes data['normalization'][0][0][0]
            ('keepAspect', np.array([[True]])),
            ('border', row(32, 32)),
            ('imageSize', row(224, 224, 3)),
            ('interpolation', 'bilinear'),
        ]),
        'classes': classes_struct(),
    }


def current_mat(weights):
    avg = np.array(MEAN_RGB, dtype=np.float32).reshape(1, 1, 3)
    return {
        'layers': cell([current_layer(n, weights) for n in VGG19_LAYERS]),
        'meta': struct([
            ('inputs', struct([('name', 'input'), ('size', row(224, 224, 3, 10))])),
            # averageImage is the THIRD field: the seed indexes data['meta']['normalization'][0][0][0][0][2][0][0]
            ('normalization', struct([
                ('imageSize', row(224, 224, 3)),
                ('interpolation', 'bilinear'),
                ('averageImage', avg),
                ('keepAspect', np.array([[True]])),
                ('border', row(32, 32)),
                ('cropSize', row(0.875)),
            ])),
            ('classes', classes_struct()),
        ]),
    }


def save_mat(path, mdict, compress):
    scipy.io.savemat(path, mdict, do_compression=compress, format='5', long_field_names=False,
                     oned_as='row')
    # make the file reproducible: replace "Created on: <now>" in the 116-byte descriptive header
    with open(path, 'r+b') as f:
        hdr = f.read(116)
        assert hdr.startswith(b'MATLAB 5.0 MAT-file'), hdr
        f.seek(0)
        f.write(FIXED_HEADER.ljust(116, b' ')[:116])


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

def make_content(rs):
    h, w = 29, 37
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    img[..., 0] = 40 + 170 * x / (w - 1)              # red ramps left -> right
    img[..., 1] = 60 + 120 * y / (h - 1)              # green ramps top -> bottom
    img[..., 2] = 150 + 60 * np.sin(x / 5.0 + y / 7.0)  # blue waves
    # a bright disc (off-centre, so the image has no symmetry)
    disc = (x - 11.5) ** 2 + (y - 9.0) ** 2 < 6.5 ** 2
    img[disc] = [235, 220, 60]
    # a dark rectangle near the bottom right
    img[18:26, 22:33] = [30, 45, 90]
    # a diagonal line
    for t in range(0, 26):
        yy, xx = 3 + t, 2 + int(round(t * 1.2))
        if 0 <= yy < h and 0 <= xx < w:
            img[yy, xx] = [250, 250, 250]
    img += rs.normal(0.0, 6.0, size=img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def make_style1(rs):
    h, w = 31, 37
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    stripes = (np.floor((x + 2 * y) / 5.0) % 2).astype(bool)
    img = np.zeros((h, w, 3))
    img[stripes] = [200, 40, 50]
    img[~stripes] = [20, 90, 200]
    img[..., 1] += 60 * np.cos(y / 4.0)
    img += rs.normal(0.0, 12.0, size=img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def make_style2(rs):
    h, w = 23, 37
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    checks = ((x // 4 + y // 4) % 2).astype(bool)
    img = np.zeros((h, w, 3))
    img[checks] = [240, 200, 120]
    img[~checks] = [60, 30, 20]
    rings = np.sin(np.sqrt((x - 25.0) ** 2 + (y - 8.0) ** 2) / 1.5)
    img[..., 1] += 50 * rings
    img[..., 2] += 30 * rings
    img += rs.normal(0.0, 10.0, size=img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def save_png(path, arr, mode):
    Image.fromarray(arr, mode).save(path, format='PNG', optimize=False, compress_level=9)


# ---------------------------------------------------------------------------------------------
# Read-back checks (exactly the seed's vgg.py indexing, both its old and new branches)
# ---------------------------------------------------------------------------------------------

def check_old(path, weights):
    data = scipy.io.loadmat(path)
    assert 'normalization' in data
    # seed: mean = data['normalization'][0][0][0]; mean_pixel = np.mean(mean, axis=(0, 1))
    mean_pixel = np.mean(data['normalization'][0][0][0], axis=(0, 1))
    assert np.allclose(mean_pixel, MEAN_RGB, rtol=0, atol=1e-12), mean_pixel
    assert np.array_equal(mean_pixel.astype(np.float32), np.array(MEAN_RGB, dtype=np.float32))
    layers = data['layers'][0]
    assert len(layers) == 43
    for i, name in enumerate(VGG19_LAYERS):
        assert layers[i][0][0]['name'][0] == name, (i, layers[i][0][0]['name'])
        assert layers[i][0][0]['type'][0] == kind_of(name)
        if kind_of(name) == 'conv':
            # seed (first version): constants[i][0][0][0][0][0] / [1]
            k0 = layers[i][0][0][0][0][0]
            b0 = layers[i][0][0][0][0][1]
            # seed (later version): isinstance(weights[i][0][0][0][0], np.ndarray) -> old format
            assert isinstance(layers[i][0][0][0][0], np.ndarray)
            kernels, bias = layers[i][0][0][0][0]
            assert kernels is k0 and bias is b0
            assert kernels.dtype == np.float32 and bias.dtype == np.float32
            assert kernels.shape == CONV_SHAPES[name], (name, kernels.shape)
            assert bias.shape == (1, CONV_SHAPES[name][3]), (name, bias.shape)
            assert np.array_equal(kernels, weights[name][0])
            assert np.array_equal(bias.reshape(-1), weights[name][1])
    assert data['classes'][0][0]['name'][0][3][0] == CLASS_NAMES[3]
    return data


def check_current(path, weights):
    data = scipy.io.loadmat(path)
    assert 'normalization' not in data and 'meta' in data
    # seed: mean_pixel = data['meta']['normalization'][0][0][0][0][2][0][0]
    mean_pixel = data['meta']['normalization'][0][0][0][0][2][0][0]
    assert mean_pixel.shape == (3,)
    assert np.array_equal(mean_pixel.astype(np.float32), np.array(MEAN_RGB, dtype=np.float32)), mean_pixel
    norm = data['meta'][0][0]['normalization'][0][0]
    assert norm['averageImage'].shape == (1, 1, 3)
    layers = data['layers'][0]
    assert len(layers) == 43
    for i, name in enumerate(VGG19_LAYERS):
        assert layers[i][0][0]['name'][0] == name
        assert layers[i][0][0]['type'][0] == kind_of(name)
        if kind_of(name) == 'conv':
            # seed (later version): new format when weights[i][0][0][0][0] is not an ndarray (it is the name)
            assert not isinstance(layers[i][0][0][0][0], np.ndarray)
            kernels, bias = layers[i][0][0][2][0]
            assert kernels.shape == CONV_SHAPES[name]
            assert bias.shape == (CONV_SHAPES[name][3], 1), (name, bias.shape)
            assert np.array_equal(kernels, weights[name][0])
            assert np.array_equal(bias.reshape(-1), weights[name][1])
            assert list(layers[i][0][0]['size'][0]) == list(CONV_SHAPES[name])
        if kind_of(name) == 'pool':
            assert list(layers[i][0][0]['pad'][0]) == [0, 1, 0, 1]
        if kind_of(name) == 'relu':
            assert layers[i][0][0]['leak'][0][0] == 0
    assert data['meta'][0][0]['classes'][0][0]['description'][0][9][0] == CLASS_DESCRIPTIONS[9]
    return data


def activation_report(weights, image):
    """Forward pass in numpy float64 (SAME conv, ceil-mode max pool) to show that no layer dies or explodes."""
    x = image.astype(np.float64) - np.array(MEAN_RGB)
    out = []
    for name in VGG19_LAYERS[:36]:
        kind = kind_of(name)
        if kind == 'conv':
            k, b = weights[name]
            h, w, _ = x.shape
            p = np.pad(x, ((1, 1), (1, 1), (0, 0)))
            y = np.zeros((h, w, k.shape[3]))
            for dy in range(3):
                for dx in range(3):
                    y += p[dy:dy + h, dx:dx + w, :] @ k[dy, dx].astype(np.float64)
            x = y + b
        elif kind == 'relu':
            x = np.maximum(x, 0)
            out.append((name, x.shape, float(np.sqrt(np.mean(x ** 2))), float(np.mean(x > 0))))
        else:
            h, w, c = x.shape
            p = np.full((h + h % 2, w + w % 2, c), -np.inf)
            p[:h, :w] = x
            x = p.reshape(p.shape[0] // 2, 2, p.shape[1] // 2, 2, c).max(axis=(1, 3))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, '..', 'NeuralStyle.Tests', 'Fixtures', 'tinyvgg'))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=default_out)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    weights = make_weights()
    old_path = os.path.join(args.out, 'tiny-vgg-old.mat')
    cur_path = os.path.join(args.out, 'tiny-vgg-current.mat')
    save_mat(old_path, old_mat(weights), compress=False)
    save_mat(cur_path, current_mat(weights), compress=True)
    check_old(old_path, weights)
    check_current(cur_path, weights)

    rs = np.random.RandomState(SEED + 1)
    content = make_content(rs)
    style1 = make_style1(rs)
    style2 = make_style2(rs)
    assert content.shape == (29, 37, 3) and style1.shape == (31, 37, 3) and style2.shape == (23, 37, 3)
    save_png(os.path.join(args.out, 'content.png'), content, 'RGB')
    save_png(os.path.join(args.out, 'style1.png'), style1, 'RGB')
    save_png(os.path.join(args.out, 'style2.png'), style2, 'RGB')
    gray = np.asarray(Image.fromarray(content, 'RGB').convert('L'))
    save_png(os.path.join(args.out, 'content-gray.png'), gray, 'L')
    yy, xx = np.mgrid[0:29, 0:37]
    alpha = np.clip(255 - 4 * xx - 2 * yy, 40, 255).astype(np.uint8)
    save_png(os.path.join(args.out, 'content-alpha.png'), np.dstack([content, alpha]), 'RGBA')

    # round-trip the PNGs
    for name, arr in (('content.png', content), ('style1.png', style1), ('style2.png', style2)):
        im = Image.open(os.path.join(args.out, name))
        assert im.mode == 'RGB' and np.array_equal(np.asarray(im), arr), name

    for name, shape, rms, alive in activation_report(weights, content):
        print('  %-8s %-12s rms %8.2f  active %.2f' % (name, 'x'.join(map(str, shape)), rms, alive))
    for f in sorted(os.listdir(args.out)):
        print('%8d  %s' % (os.path.getsize(os.path.join(args.out, f)), f))
    return 0


if __name__ == '__main__':
    sys.exit(main())
