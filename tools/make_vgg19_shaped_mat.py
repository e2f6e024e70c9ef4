#!/usr/bin/python3
"""Writes a MAT-file with VGG-19's real layer shapes and random weights, for memory and speed tests of the reader.

Use Debian's Python, which has scipy and numpy (the pyenv python3 on PATH does not):

    /usr/bin/python3 tools/make_vgg19_shaped_mat.py                 # vgg19-shaped.big.mat, current layout
    /usr/bin/python3 tools/make_vgg19_shaped_mat.py --old-layout    # vgg19-shaped-old.big.mat, beta16 layout

The current layout is that of MatConvNet's imagenet-vgg-verydeep-19.mat: a top-level `layers` 1x43 cell of
1x1 structs (conv: name, type, weights {kernel HxWxCinxCout single, bias Coutx1 single}, size, pad [1 1 1 1],
stride [1 1], precious, dilate, opts; relu with leak 0; pool with method 'max', pool [2 2], stride [2 2],
pad [0 1 0 1]; prob softmax) and `meta` (inputs, classes {name, description}, normalization with
averageImage 1x1x3 = [123.68 116.779 103.939]). Like the real file, the whole `layers` variable is ONE
compressed element (savemat do_compression=True), about 535 MB.

--old-layout writes the beta16 layout (weights as a 1x2 cell {kernel, bias 1xCout}; top-level
`normalization` with a 224x224x3 averageImage and `classes`), uncompressed, about 575 MB.

The weights are N(0, 1) * sqrt(2 / fan_in) float32 from numpy's seeded generator, so a run is reproducible
and the data does not compress much (as with real weights). Outputs end in .big.mat, which .gitignore
keeps out of the repository: never commit them. Generation takes a minute or so and about 2.5 GB of memory.
"""

import argparse
import os
import time

import numpy as np
import scipy.io as sio

# VGG-19: (name, kind, kernel size, input channels, output channels); pools and relus in between.
BLOCKS = [(1, 64, 2), (2, 128, 2), (3, 256, 4), (4, 512, 4), (5, 512, 4)]


def layer_specs():
    specs = []
    cin = 3
    for block, width, convs in BLOCKS:
        for i in range(1, convs + 1):
            specs.append(('conv', f'conv{block}_{i}', 3, cin, width))
            specs.append(('relu', f'relu{block}_{i}'))
            cin = width
        specs.append(('pool', f'pool{block}'))
    specs += [('conv', 'fc6', 7, 512, 4096), ('relu', 'relu6'),
              ('conv', 'fc7', 1, 4096, 4096), ('relu', 'relu7'),
              ('conv', 'fc8', 1, 4096, 1000), ('softmax', 'prob')]
    assert len(specs) == 43
    return specs


def cell(items):
    c = np.empty((1, len(items)), dtype=object)
    for i, item in enumerate(items):
        c[0, i] = item
    return c


def weights(rng, size, cin, cout):
    kernel = rng.standard_normal((size, size, cin, cout), dtype=np.float32)
    kernel *= np.float32(np.sqrt(2.0 / (size * size * cin)))
    bias = (rng.standard_normal(cout, dtype=np.float32) * np.float32(0.01))
    return kernel, bias


def current_layer(rng, spec):
    kind, name = spec[0], spec[1]
    if kind == 'conv':
        _, _, size, cin, cout = spec
        kernel, bias = weights(rng, size, cin, cout)
        pad = 1.0 if size == 3 else 0.0
        return {'name': name, 'type': 'conv', 'weights': cell([kernel, bias.reshape(cout, 1)]),
                'size': np.array([[size, size, cin, cout]], dtype=np.float64),
                'pad': np.full((1, 4), pad), 'stride': np.array([[1.0, 1.0]]), 'precious': False,
                'dilate': 1.0, 'opts': np.empty((1, 0), dtype=object)}
    if kind == 'relu':
        return {'name': name, 'type': 'relu', 'leak': 0.0, 'precious': False}
    if kind == 'pool':
        return {'name': name, 'type': 'pool', 'method': 'max', 'pool': np.array([[2.0, 2.0]]),
                'stride': np.array([[2.0, 2.0]]), 'pad': np.array([[0.0, 1.0, 0.0, 1.0]]), 'precious': False,
                'opts': np.empty((1, 0), dtype=object)}
    return {'name': name, 'type': 'softmax', 'precious': False}


def old_layer(rng, spec):
    kind, name = spec[0], spec[1]
    if kind == 'conv':
        _, _, size, cin, cout = spec
        kernel, bias = weights(rng, size, cin, cout)
        pad = 1.0 if size == 3 else 0.0
        return {'weights': cell([kernel, bias.reshape(1, cout)]), 'pad': np.full((1, 4), pad),
                'type': 'conv', 'name': name, 'stride': np.array([[1.0, 1.0]])}
    if kind == 'relu':
        return {'type': 'relu', 'name': name}
    if kind == 'pool':
        return {'name': name, 'stride': np.array([[2.0, 2.0]]), 'pad': np.array([[0.0, 1.0, 0.0, 1.0]]),
                'type': 'pool', 'method': 'max', 'pool': np.array([[2.0, 2.0]])}
    return {'type': 'softmax', 'name': name}


def classes():
    return {'name': cell([f'n{i:08d}' for i in range(1000)]),
            'description': cell([f'class {i}' for i in range(1000)])}


MEAN = np.array([123.68, 116.779, 103.939], dtype=np.float32)


def write_mat(output, seed, old_layout=False):
    """Writes the file; also called by make_vgg19_shaped_weights.py --same-network."""
    start = time.time()
    rng = np.random.default_rng(seed)
    specs = layer_specs()
    if old_layout:
        average = np.empty((224, 224, 3), dtype=np.float32)
        average[:, :, :] = MEAN
        variables = {
            'layers': cell([old_layer(rng, s) for s in specs]),
            'normalization': {'averageImage': average, 'keepAspect': 1.0, 'border': np.array([[0.0, 0.0]]),
                              'imageSize': np.array([[224.0, 224.0, 3.0]]), 'interpolation': 'bilinear'},
            'classes': classes(),
        }
        sio.savemat(output, variables, do_compression=False, oned_as='row')
    else:
        variables = {
            'layers': cell([current_layer(rng, s) for s in specs]),
            'meta': {'inputs': {'name': 'data', 'size': np.array([[224.0, 224.0, 3.0, 10.0]])},
                     'classes': classes(),
                     'normalization': {'imageSize': np.array([[224.0, 224.0, 3.0, 10.0]]),
                                       'interpolation': 'bilinear', 'averageImage': MEAN.reshape(1, 1, 3),
                                       'keepAspect': True, 'border': np.array([[32.0, 32.0]]),
                                       'cropSize': 0.875}},
        }
        sio.savemat(output, variables, do_compression=True, oned_as='row')
    weights_bytes = sum(4 * (s[2] * s[2] * s[3] * s[4] + s[4]) for s in specs if s[0] == 'conv')
    print(f'{output}: {os.path.getsize(output) / 2**20:.0f} MiB ({weights_bytes / 2**20:.0f} MiB of weights, '
          f'{len(specs)} layers) in {time.time() - start:.0f} s')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--old-layout', action='store_true', help='beta16 layout, uncompressed')
    parser.add_argument('--output', help='output path (default: vgg19-shaped[-old].big.mat)')
    parser.add_argument('--seed', type=int, default=19)
    args = parser.parse_args()
    output = args.output or ('vgg19-shaped-old.big.mat' if args.old_layout else 'vgg19-shaped.big.mat')
    write_mat(output, args.seed, args.old_layout)


if __name__ == '__main__':
    main()
