#!/usr/bin/python3
"""PyTorch peer for the C# benchmark: seconds per style-transfer iteration on VGG-19's real shapes.

    /usr/bin/python3 bench/pytorch_reference.py --sizes 256 512 --iterations 10 --warmup 2 --threads 2 [--json]

Needs Debian's /usr/bin/python3 (torch).  No network file: VGG-19's convolutions up to relu5_1 with their real
shapes (3-64-64 | 128-128 | 256 x4 | 512 x4 | 512), He-scaled random weights (seeded), frozen
(requires_grad False).  For each size S the images are S x S (content, one style and the initial image are
seeded random RGB images in 0..255, preprocessed with VGG's mean pixel).  One timed iteration is exactly
the work of one step of the seed's loop:

    forward of the image to relu5_1 (conv 3x3 pad 1 + bias, relu, 2x2/2 max pool with ceil mode),
    content loss at relu4_2, Gram style losses at relu1_1 relu2_1 relu3_1 relu4_1 relu5_1, tv loss,
    backward to the image only, and TensorFlow's Adam update of the image,

all in float32 (content weight 5, style weight 100, tv weight 100, lr 10).  The targets (content features,
style Grams) are computed once, under no_grad, outside the timing.  Loss printing/checkpoint evaluations of
the seed's loop are not part of an iteration.  Reported per size: median seconds per iteration and every
sample (warm-up iterations are run first and not reported).
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

MEAN = (123.68, 116.779, 103.939)
# (name, cin, cout) up to conv5_1, 'pool' entries in between
VGG19_TO_RELU5_1 = [
    ('conv1_1', 3, 64), ('conv1_2', 64, 64), 'pool',
    ('conv2_1', 64, 128), ('conv2_2', 128, 128), 'pool',
    ('conv3_1', 128, 256), ('conv3_2', 256, 256), ('conv3_3', 256, 256), ('conv3_4', 256, 256), 'pool',
    ('conv4_1', 256, 512), ('conv4_2', 512, 512), ('conv4_3', 512, 512), ('conv4_4', 512, 512), 'pool',
    ('conv5_1', 512, 512),
]
CONTENT_LAYER = 'relu4_2'
STYLE_LAYERS = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1')


def make_net(seed):
    g = torch.Generator().manual_seed(seed)
    net = []
    for item in VGG19_TO_RELU5_1:
        if item == 'pool':
            net.append(('pool', None, None))
            continue
        name, cin, cout = item
        w = torch.randn(cout, cin, 3, 3, generator=g) * math.sqrt(2.0 / (9 * cin))
        b = torch.randn(cout, generator=g) * 0.1
        net.append((name, w.contiguous(), b))          # requires_grad is False for plain tensors
    return net


def forward(net, x):
    feats = {}
    for name, w, b in net:
        if name == 'pool':
            x = F.max_pool2d(x, 2, 2, ceil_mode=True)
        else:
            x = F.relu(F.conv2d(x, w, b, padding=1))
            rname = 'relu' + name[4:]
            if rname == CONTENT_LAYER or rname in STYLE_LAYERS:
                feats[rname] = x
    return feats


def gram(f):
    _, c, h, w = f.shape
    f = f.reshape(c, h * w)
    return f.mm(f.t()) / (c * h * w)


def random_image(size, g):
    img = torch.rand(1, 3, size, size, generator=g) * 255.0
    return img - torch.tensor(MEAN).reshape(1, 3, 1, 1)


class TFAdam:
    def __init__(self, x, lr=10.0, beta1=0.9, beta2=0.999, eps=1e-8):
        self.x, self.lr, self.b1, self.b2, self.eps = x, lr, beta1, beta2, eps
        self.m = torch.zeros_like(x)
        self.v = torch.zeros_like(x)
        self.t = 0

    @torch.no_grad()
    def step(self, g):
        self.t += 1
        lr_t = self.lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        self.m.mul_(self.b1).add_(g, alpha=1 - self.b1)
        self.v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
        self.x.addcdiv_(self.m, self.v.sqrt().add_(self.eps), value=-lr_t)


def run_size(net, size, iterations, warmup, seed, cw=5.0, sw=100.0, tvw=100.0):
    g = torch.Generator().manual_seed(seed + size)
    content = random_image(size, g)
    style = random_image(size, g)
    with torch.no_grad():
        content_target = forward(net, content)[CONTENT_LAYER]
        style_targets = {k: gram(v) for k, v in forward(net, style).items() if k in STYLE_LAYERS}
    x = random_image(size, g)
    opt = TFAdam(x)

    def one_iteration():
        xv = x.detach().requires_grad_(True)
        feats = forward(net, xv)
        content_loss = cw * (feats[CONTENT_LAYER] - content_target).pow(2).mean()
        style_loss = 0.0
        for l in STYLE_LAYERS:
            style_loss = style_loss + (gram(feats[l]) - style_targets[l]).pow(2).mean()
        style_loss = sw * style_loss
        dy = xv[:, :, 1:, :] - xv[:, :, :-1, :]
        dx = xv[:, :, :, 1:] - xv[:, :, :, :-1]
        tv_loss = tvw * (dy.pow(2).mean() + dx.pow(2).mean())
        loss = content_loss + style_loss + tv_loss
        (grad,) = torch.autograd.grad(loss, xv)
        opt.step(grad)
        return float(loss.detach())

    for _ in range(warmup):
        one_iteration()
    samples = []
    losses = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        losses.append(one_iteration())
        samples.append(time.perf_counter() - t0)
    return {'size': size, 'median_seconds': statistics.median(samples), 'samples': samples,
            'first_loss': losses[0], 'last_loss': losses[-1]}


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sizes', type=int, nargs='+', default=[256, 512])
    ap.add_argument('--iterations', type=int, default=10, help='timed iterations per size')
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--json', action='store_true', help='print one JSON document instead of text')
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_grad_enabled(True)
    net = make_net(args.seed)
    results = []
    for size in args.sizes:
        r = run_size(net, size, args.iterations, args.warmup, args.seed)
        results.append(r)
        if not args.json:
            print('size %4d: median %.4f s/iteration  samples %s  (loss %.6g -> %.6g)' % (
                size, r['median_seconds'], ' '.join('%.4f' % s for s in r['samples']),
                r['first_loss'], r['last_loss']), flush=True)
    if args.json:
        doc = {'implementation': 'pytorch', 'torch': torch.__version__, 'python': platform.python_version(),
               'threads': torch.get_num_threads(), 'mkldnn': torch.backends.mkldnn.is_available(),
               'cpu': cpu_model(), 'cpus': os.cpu_count(), 'iterations': args.iterations,
               'warmup': args.warmup, 'dtype': 'float32', 'network': 'VGG-19 shapes to relu5_1, random weights',
               'results': results}
        json.dump(doc, sys.stdout, indent=1)
        sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
