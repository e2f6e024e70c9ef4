#!/usr/bin/python3
"""Independent PyTorch reference of anishathalye/neural-style's algorithm, run on the tiny-VGG fixtures.

    /usr/bin/python3 tests/fixture-scripts/make_tiny_vgg.py      # first (makes the network and images)
    /usr/bin/python3 tests/fixture-scripts/reference_stylize.py

Needs Debian's /usr/bin/python3 (torch 1.13, scipy, numpy, PIL).  Reads and writes
tests/NeuralStyle.Tests/Fixtures/tinyvgg/ (or --dir):

  reference-<config>.json   configuration (CLI flags as the C# test passes them), printed losses,
                            checkpoint losses, final best loss, final image summary, a float64 run of
                            the same configuration, and a few "what a typical bug would give" diagnostics
  reference-<config>.png    the final image, uint8 RGB

Configurations: default, old-layout (identical to default but with the old-layout .mat; asserted to give
bit-identical numbers), blend (two styles, blend weights, content-weight-blend, layer-weight exponent,
avg pooling, non-default Adam settings), best-not-last (learning rate 50, 5 iterations, checkpoint every
iteration: the loss after the last step is higher than after step 4, so the output is step 4's image).

The algorithm (all float32):
  * VGG-19 up to relu5_4 from a MatConvNet file; conv 3x3 stride 1 pad 1 (= TF 'SAME') with bias;
    PyTorch weight[o, i, y, x] = kernel[y, x, i, o] (MatConvNet kernel is H x W x Cin x Cout).
    Pooling 2x2/2 with TF 'SAME' = ceil_mode=True (the extra row/column at the bottom/right);
    avg pooling averages only the valid elements (the 1-wide last window is divided by its size).
  * pixels: RGB 0..255 float minus the mean pixel (mean of averageImage over its first two axes).
  * content  = cw * sum_{L in relu4_2, relu5_2} w_L * mean((F_L(x) - P_L)^2), w = (blend, 1 - blend)
    style    = sum_i sw * b_i * sum_l lw_l * mean((G_l(x) - A_il)^2), G = F F^T / (C*H*W),
               lw_l = e^k normalised to sum to 5 (k = 0..4), b_i normalised to sum to 1
    tv       = tvw * (mean(dy^2) + mean(dx^2)) on the preprocessed image
  * TensorFlow's Adam: lr_t = lr*sqrt(1-b2^t)/(1-b1^t); x -= lr_t * m / (sqrt(v) + eps)
    (lr_t computed in double, like the C# TensorFlowAdam).
  * loop: for i in 0..N-1: last = i == N-1; "Iteration i+1/N"; if last or i % print == 0: record losses
    of the current image (before the step); Adam step; if i % checkpoint == 0 or last: loss after the
    step, keep the best image.  Output = clip(best + mean, 0, 255).astype(uint8) (truncation, as the
    seed's imsave).

Hand-computed 2x2 examples that self_test() asserts:
  Gram: a 1 x 2 x 1 x 2 activation, channel 0 = [1, 2], channel 1 = [3, 4]:
        F = [[1, 2], [3, 4]], F F^T = [[5, 11], [11, 25]], / (C*H*W = 4) -> [[1.25, 2.75], [2.75, 6.25]];
        against a zero target: mean(G^2) = (1.5625 + 7.5625 + 7.5625 + 39.0625) / 4 = 13.9375.
  Content: F = [[1, 2], [3, 4]] vs P = [[0, 2], [3, 6]]: differences 1, 0, 0, -2 -> mean = 5 / 4 = 1.25.
  TV: one-channel 2x2 image [[1, 2], [4, 8]] (rows = y): dy = [3, 6] -> (9 + 36) / 2 = 22.5;
        dx = [1, 4] -> (1 + 16) / 2 = 8.5; tv term = 31.
  TF Adam, first step, g = 2, lr = 10, b1 = .9, b2 = .999, eps = 1e-8: m = .2, v = .004,
        lr_t = 10 * sqrt(.001) / .1 = 3.16227766, step = lr_t * .2 / (sqrt(.004) + 1e-8) = 9.99999842...
        (torch.optim.Adam would give 10 * (.2/.1) / (sqrt(.004/.001) + 1e-8) = 9.999999995: different).
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import scipy.io
import torch
import torch.nn.functional as F
from PIL import Image

VGG19_LAYERS = (
    'conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1',
    'conv2_1', 'relu2_1', 'conv2_2', 'relu2_2', 'pool2',
    'conv3_1', 'relu3_1', 'conv3_2', 'relu3_2', 'conv3_3', 'relu3_3', 'conv3_4', 'relu3_4', 'pool3',
    'conv4_1', 'relu4_1', 'conv4_2', 'relu4_2', 'conv4_3', 'relu4_3', 'conv4_4', 'relu4_4', 'pool4',
    'conv5_1', 'relu5_1', 'conv5_2', 'relu5_2', 'conv5_3', 'relu5_3', 'conv5_4', 'relu5_4',
)
CONTENT_LAYERS = ('relu4_2', 'relu5_2')
STYLE_LAYERS = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1')


# ---------------------------------------------------------------------------------------------
# network
# ---------------------------------------------------------------------------------------------

def _field(struct_1x1, name):
    return struct_1x1[0][0][name]


def load_net(path):
    """Returns (layers, mean_pixel): layers = [(name, kind, kernel HxWxCinxCout float32, bias (Cout,))]."""
    data = scipy.io.loadmat(path)
    if 'normalization' in data:      # old (beta16) layout
        avg = _field(data['normalization'], 'averageImage')
    else:                            # current layout
        avg = _field(_field(data['meta'], 'normalization'), 'averageImage')
    mean_pixel = np.mean(np.asarray(avg, dtype=np.float64), axis=(0, 1)).reshape(3).astype(np.float32)
    cells = data['layers'][0]
    layers = []
    for i, name in enumerate(VGG19_LAYERS):      # the 36 layers we use (the file has 43)
        st = cells[i]
        assert _field(st, 'name')[0] == name, (i, _field(st, 'name'))
        kind = str(_field(st, 'type')[0])
        if kind == 'conv':
            kernel, bias = _field(st, 'weights')[0]
            layers.append((name, kind, np.asarray(kernel, np.float32), np.asarray(bias, np.float32).reshape(-1)))
        else:
            layers.append((name, kind, None, None))
    return layers, mean_pixel


class Net:
    """VGG-19 feature extractor in NCHW with frozen weights."""

    def __init__(self, layers, dtype, pooling='max', orientation='yx', pool_variant='tf-same'):
        self.pooling = pooling
        self.pool_variant = pool_variant
        self.ops = []
        for name, kind, kernel, bias in layers:
            if kind == 'conv':
                if orientation == 'yx':      # correct: weight[o, i, y, x] = kernel[y, x, i, o]
                    w = kernel.transpose(3, 2, 0, 1)
                else:                        # diagnostic: the seed's vgg.py transposition (x and y swapped)
                    w = kernel.transpose(3, 2, 1, 0)
                self.ops.append((name, kind, torch.from_numpy(np.ascontiguousarray(w)).to(dtype),
                                 torch.from_numpy(bias.copy()).to(dtype)))
            else:
                self.ops.append((name, kind, None, None))

    def _pool(self, x):
        if self.pool_variant == 'floor':         # diagnostic: PyTorch's default floor mode
            return (F.max_pool2d(x, 2, 2) if self.pooling == 'max' else F.avg_pool2d(x, 2, 2))
        if self.pooling == 'max':
            return F.max_pool2d(x, kernel_size=2, stride=2, ceil_mode=True)
        if self.pool_variant == 'avg-count-pad':  # diagnostic: zeros of the padding counted in the average
            h, w = x.shape[2], x.shape[3]
            return F.avg_pool2d(F.pad(x, (0, w % 2, 0, h % 2)), 2, 2)
        return F.avg_pool2d(x, kernel_size=2, stride=2, ceil_mode=True, count_include_pad=False)

    def __call__(self, x, wanted):
        out = {}
        last = max(VGG19_LAYERS.index(n) for n in wanted)
        for idx, (name, kind, w, b) in enumerate(self.ops[:last + 1]):
            if kind == 'conv':
                x = F.conv2d(x, w, b, stride=1, padding=1)
            elif kind == 'relu':
                x = F.relu(x)
            elif kind == 'pool':
                x = self._pool(x)
            else:
                raise ValueError(kind)
            if name in wanted:
                out[name] = x
        return out


# ---------------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------------

def gram(feats):
    _, c, h, w = feats.shape
    f = feats.reshape(c, h * w)
    return (f @ f.t()) / (c * h * w)


def mse(a, b):
    return ((a - b) ** 2).mean()


def tv_term(img):
    dy = img[:, :, 1:, :] - img[:, :, :-1, :]
    dx = img[:, :, :, 1:] - img[:, :, :, :-1]
    return (dy ** 2).mean() + (dx ** 2).mean()


def style_layer_weights(exp):
    w = [exp ** k for k in range(len(STYLE_LAYERS))]
    s = sum(w)
    return [len(STYLE_LAYERS) * v / s for v in w]


class Problem:
    def __init__(self, net, content_pre, styles_pre, s):
        self.net = net
        self.s = s
        blend = s['content_weight_blend']
        self.content_layer_weights = {'relu4_2': blend, 'relu5_2': 1.0 - blend}
        self.lw = dict(zip(STYLE_LAYERS, style_layer_weights(s['style_layer_weight_exp'])))
        bw = s['style_blend_weights'] or [1.0] * len(styles_pre)
        tot = sum(bw)
        self.blend = [v / tot for v in bw]
        with torch.no_grad():
            feats = net(content_pre, CONTENT_LAYERS)
            self.content_targets = {k: v.clone() for k, v in feats.items()}
            self.style_targets = []
            for sp in styles_pre:
                feats = net(sp, STYLE_LAYERS)
                self.style_targets.append({k: gram(v) for k, v in feats.items()})

    def losses(self, x):
        s = self.s
        feats = self.net(x, CONTENT_LAYERS + STYLE_LAYERS)
        content = 0.0
        for L in CONTENT_LAYERS:
            content = content + self.content_layer_weights[L] * mse(feats[L], self.content_targets[L])
        content = s['content_weight'] * content
        style = 0.0
        grams = {l: gram(feats[l]) for l in STYLE_LAYERS}
        for i, targets in enumerate(self.style_targets):
            per = 0.0
            for l in STYLE_LAYERS:
                per = per + self.lw[l] * mse(grams[l], targets[l])
            style = style + s['style_weight'] * self.blend[i] * per
        tv = s['tv_weight'] * tv_term(x)
        total = content + style + tv
        return content, style, tv, total


class TFAdam:
    def __init__(self, x, lr, beta1, beta2, eps):
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


# ---------------------------------------------------------------------------------------------
# images
# ---------------------------------------------------------------------------------------------

def read_rgb(path):
    return np.asarray(Image.open(path).convert('RGB'), dtype=np.float32)   # H x W x 3, 0..255


def to_nchw(img_hwc, dtype):
    return torch.from_numpy(np.ascontiguousarray(img_hwc.transpose(2, 0, 1))[None]).to(dtype)


# ---------------------------------------------------------------------------------------------
# one run
# ---------------------------------------------------------------------------------------------

class ScaledInput:
    """A network whose input is the optimised image divided by a per-channel scale (torchvision's std in pixel
    units), so that the image itself stays in the seed's units: 0..255 minus a mean pixel."""

    def __init__(self, net, scale, dtype):
        self.net = net
        self.scale = torch.from_numpy(np.asarray(scale, dtype=np.float64)).to(dtype).reshape(1, 3, 1, 1)

    def __call__(self, x, wanted):
        return self.net(x / self.scale, wanted)


def stylize(fixture_dir, s, dtype=torch.float32, net_kwargs=None, iterations=None, source=None):
    """One run of the seed's loop.  By default the network and mean pixel come from the .mat file s['network']
    names; `source` = (layers, mean_pixel, input_scale or None) gives them instead (layers as load_net returns
    them; with input_scale, the network sees the image divided by it per channel)."""
    if source is None:
        layers, mean_pixel = load_net(os.path.join(fixture_dir, s['network']))
        input_scale = None
    else:
        layers, mean_pixel, input_scale = source
    net = Net(layers, dtype, pooling=s['pooling'], **(net_kwargs or {}))
    if input_scale is not None:
        net = ScaledInput(net, input_scale, dtype)
    mean = torch.from_numpy(mean_pixel.astype(np.float64)).to(dtype).reshape(1, 3, 1, 1)
    content = read_rgb(os.path.join(fixture_dir, s['content']))
    styles = [read_rgb(os.path.join(fixture_dir, p)) for p in s['styles']]
    for st in styles:
        # the seed resizes each style by style_scale * content_width / style_width; the fixtures make it 1
        assert st.shape[1] == content.shape[1] and s['style_scales'] == [1.0] * len(styles)
    initial = read_rgb(os.path.join(fixture_dir, s['initial']))
    content_pre = to_nchw(content, dtype) - mean
    styles_pre = [to_nchw(st, dtype) - mean for st in styles]
    problem = Problem(net, content_pre, styles_pre, s)

    x = (to_nchw(initial, dtype) - mean).clone()
    opt = TFAdam(x, s['learning_rate'], s['beta1'], s['beta2'], s['epsilon'])
    n = s['iterations'] if iterations is None else iterations
    pi, ci = s['print_iterations'], s['checkpoint_iterations']
    printed, checkpoints = [], []
    best_loss, best = float('inf'), None
    for i in range(n):
        last = i == n - 1
        if last or (pi and i % pi == 0):
            with torch.no_grad():
                c, st, tv, tot = problem.losses(x)
            printed.append({'iteration': i + 1, 'content': float(c), 'style': float(st),
                            'tv': float(tv), 'total': float(tot)})
        xv = x.detach().requires_grad_(True)
        _, _, _, tot = problem.losses(xv)
        (g,) = torch.autograd.grad(tot, xv)
        opt.step(g)
        if (ci and i % ci == 0) or last:
            with torch.no_grad():
                this_loss = float(problem.losses(x)[3])
            improved = this_loss < best_loss
            if improved:
                best_loss, best = this_loss, x.clone()
            checkpoints.append({'iteration': i + 1, 'yielded': None if last else i,
                                'loss_after_step': this_loss, 'improved': improved, 'best_loss': best_loss})
    final_float = (best + mean)[0].permute(1, 2, 0).numpy()
    final_u8 = np.clip(final_float, 0, 255).astype(np.uint8)
    return {'printed': printed, 'checkpoints': checkpoints, 'final_best_loss': best_loss,
            'final_float': final_float, 'final_u8': final_u8, 'mean_pixel': mean_pixel}


# ---------------------------------------------------------------------------------------------
# configurations
# ---------------------------------------------------------------------------------------------

DEFAULTS = dict(content_weight=5.0, content_weight_blend=1.0, style_weight=100.0, style_layer_weight_exp=1.0,
                tv_weight=100.0, learning_rate=10.0, beta1=0.9, beta2=0.999, epsilon=1e-8, pooling='max',
                style_blend_weights=None, style_scales=None)


def config(name, network, styles, iterations, print_iterations, checkpoint_iterations, **overrides):
    s = dict(DEFAULTS)
    s.update(overrides)
    s.update(name=name, network=network, content='content.png', styles=list(styles), initial='content.png',
             iterations=iterations, print_iterations=print_iterations,
             checkpoint_iterations=checkpoint_iterations)
    if s['style_scales'] is None:
        s['style_scales'] = [1.0] * len(styles)
    args = ['--network', network, '--content', 'content.png', '--styles'] + list(styles) + [
        '--initial', 'content.png', '--iterations', str(iterations),
        '--print-iterations', str(print_iterations), '--checkpoint-iterations', str(checkpoint_iterations)]
    flag = {'content_weight': '--content-weight', 'content_weight_blend': '--content-weight-blend',
            'style_weight': '--style-weight', 'style_layer_weight_exp': '--style-layer-weight-exp',
            'tv_weight': '--tv-weight', 'learning_rate': '--learning-rate', 'beta1': '--beta1',
            'beta2': '--beta2', 'epsilon': '--epsilon', 'pooling': '--pooling',
            'style_blend_weights': '--style-blend-weights', 'style_scales': '--style-scales'}

    def fmt(v):
        return v if isinstance(v, str) else ('%r' % v if isinstance(v, float) else str(v))

    explicit = list(args)
    for key, fl in flag.items():
        v = s[key]
        if v is None:
            continue
        vals = [fmt(t) for t in v] if isinstance(v, list) else [fmt(v)]
        if key in overrides:
            args += [fl] + vals
        explicit += [fl] + vals
    return s, args, explicit


CONFIGS = [
    config('default', 'tiny-vgg-current.mat', ['style1.png'], 50, 10, 10),
    config('old-layout', 'tiny-vgg-old.mat', ['style1.png'], 50, 10, 10),
    config('blend', 'tiny-vgg-current.mat', ['style1.png', 'style2.png'], 50, 7, 5,
           style_blend_weights=[3.0, 1.0], content_weight_blend=0.5, style_layer_weight_exp=2.0,
           pooling='avg', learning_rate=5.0, beta1=0.8, beta2=0.99, epsilon=1e-6),
    # extra: a learning rate so large that the last checkpoint is worse than an earlier one, so the
    # output must be the best checkpoint (iteration 4), not the last image
    config('best-not-last', 'tiny-vgg-current.mat', ['style1.png'], 5, 1, 1, learning_rate=50.0),
]


# ---------------------------------------------------------------------------------------------
# self tests
# ---------------------------------------------------------------------------------------------

def self_test(fixture_dir):
    d = torch.float64
    # 2x2 hand examples (see the module docstring)
    f = torch.tensor([[1., 2.], [3., 4.]], dtype=d).reshape(1, 2, 1, 2)
    g = gram(f)
    assert torch.allclose(g, torch.tensor([[1.25, 2.75], [2.75, 6.25]], dtype=d))
    assert abs(float(mse(g, torch.zeros_like(g))) - 13.9375) < 1e-12
    p = torch.tensor([[0., 2.], [3., 6.]], dtype=d).reshape(1, 2, 1, 2)
    assert abs(float(mse(f, p)) - 1.25) < 1e-12
    img = torch.tensor([[1., 2.], [4., 8.]], dtype=d).reshape(1, 1, 2, 2)
    assert abs(float(tv_term(img)) - 31.0) < 1e-12
    xa = torch.zeros(1, dtype=d)
    adam = TFAdam(xa, 10.0, 0.9, 0.999, 1e-8)
    adam.step(torch.full((1,), 2.0, dtype=d))
    expected = 10 * math.sqrt(0.001) / 0.1 * 0.2 / (math.sqrt(0.004) + 1e-8)
    assert abs(float(-xa[0]) - expected) < 1e-12 and abs(expected - 9.99999842) < 1e-7
    assert style_layer_weights(1.0) == [1.0] * 5
    assert abs(sum(style_layer_weights(2.0)) - 5) < 1e-12

    # pooling = TF 'SAME' (explicit numpy) on odd sizes, conv = MatConvNet correlation with kernel[y, x, i, o]
    rs = np.random.RandomState(1)
    a = rs.standard_normal((3, 7, 5))
    pad = np.full((3, 8, 6), -np.inf)
    pad[:, :7, :5] = a
    ref_max = pad.reshape(3, 4, 2, 3, 2).max(axis=(2, 4))
    valid = np.zeros((3, 8, 6))
    valid[:, :7, :5] = 1
    zp = np.where(valid > 0, pad, 0)
    ref_avg = zp.reshape(3, 4, 2, 3, 2).sum(axis=(2, 4)) / valid.reshape(3, 4, 2, 3, 2).sum(axis=(2, 4))
    t = torch.from_numpy(a)[None]
    assert np.allclose(F.max_pool2d(t, 2, 2, ceil_mode=True)[0].numpy(), ref_max)
    assert np.allclose(F.avg_pool2d(t, 2, 2, ceil_mode=True, count_include_pad=False)[0].numpy(), ref_avg)
    k = rs.standard_normal((3, 3, 3, 2))
    b = rs.standard_normal(2)
    xp = np.pad(a, ((0, 0), (1, 1), (1, 1)))
    ref = np.zeros((2, 7, 5))
    for o in range(2):
        for y in range(7):
            for xx in range(5):
                ref[o, y, xx] = np.sum(xp[:, y:y + 3, xx:xx + 3] * k[:, :, :, o].transpose(2, 0, 1)) + b[o]
    got = F.conv2d(t, torch.from_numpy(k.transpose(3, 2, 0, 1).copy()), torch.from_numpy(b), padding=1)[0]
    assert np.allclose(got.numpy(), ref)

    # autograd vs central differences on the real problem (float64, a few pixels)
    s = CONFIGS[2][0]
    layers, mean_pixel = load_net(os.path.join(fixture_dir, s['network']))
    net = Net(layers, d, pooling=s['pooling'])
    mean = torch.from_numpy(mean_pixel.astype(np.float64)).reshape(1, 3, 1, 1)
    content = to_nchw(read_rgb(os.path.join(fixture_dir, 'content.png')), d) - mean
    styles = [to_nchw(read_rgb(os.path.join(fixture_dir, p)), d) - mean for p in s['styles']]
    prob = Problem(net, content, styles, s)
    x0 = content + torch.from_numpy(np.random.RandomState(2).standard_normal(content.shape)) * 3
    xv = x0.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(prob.losses(xv)[3], xv)
    worst = 0.0
    for (c, y, xx) in [(0, 0, 0), (1, 14, 18), (2, 28, 36), (0, 5, 30), (2, 20, 3)]:
        h = 1e-3
        xp_, xm_ = x0.clone(), x0.clone()
        xp_[0, c, y, xx] += h
        xm_[0, c, y, xx] -= h
        num = (float(prob.losses(xp_)[3]) - float(prob.losses(xm_)[3])) / (2 * h)
        an = float(grad[0, c, y, xx])
        worst = max(worst, abs(num - an) / max(1e-6, abs(an)))
    assert worst < 1e-4, worst
    print('self-test passed (hand examples, TF-SAME pooling, MatConvNet conv orientation, '
          'autograd vs finite differences: worst relative error %.2e)' % worst)


# ---------------------------------------------------------------------------------------------

def write_reference(out_dir, s, cli, explicit, r32, r64, diag, extra=None):
    """Writes reference-<name>.json and reference-<name>.png into out_dir; `extra` adds or replaces entries of the
    JSON document."""
    png = 'reference-%s.png' % s['name']
    Image.fromarray(r32['final_u8'], 'RGB').save(os.path.join(out_dir, png), format='PNG', compress_level=9)
    doc = {
        'name': s['name'],
        'description': 'PyTorch reference (tests/fixture-scripts/reference_stylize.py) of the seed\'s '
                       'algorithm; float32, torch %s, 1 thread' % torch.__version__,
        'args': cli,
        'args_note': 'paths relative to this folder; the test adds its own --output. "args" relies on the '
                     'CLI defaults, "args_explicit" spells every resolved setting out.',
        'args_explicit': explicit,
        'network': s['network'],
        'settings': {k: s[k] for k in sorted(s) if k != 'name'},
        'resolved': {
            'mean_pixel': [float(v) for v in r32['mean_pixel']],
            'style_layer_weights': dict(zip(STYLE_LAYERS, style_layer_weights(s['style_layer_weight_exp']))),
            'style_blend_weights': [v / sum(s['style_blend_weights'] or [1.0] * len(s['styles']))
                                    for v in (s['style_blend_weights'] or [1.0] * len(s['styles']))],
            'content_layer_weights': {'relu4_2': s['content_weight_blend'],
                                      'relu5_2': 1.0 - s['content_weight_blend']},
        },
        'printed': r32['printed'],
        'checkpoints': r32['checkpoints'],
        'final_best_loss': r32['final_best_loss'],
        'final_image': {
            'file': png,
            'width': int(r32['final_u8'].shape[1]), 'height': int(r32['final_u8'].shape[0]),
            'conversion': 'clip(best + mean, 0, 255) then truncation to uint8 (numpy astype)',
            'mean_rgb_uint8': [float(v) for v in r32['final_u8'].reshape(-1, 3).astype(np.float64).mean(0)],
            'mean_rgb_float': [float(v) for v in r32['final_float'].reshape(-1, 3).astype(np.float64).mean(0)],
        },
        'float64': {'printed': r64['printed'], 'checkpoints': r64['checkpoints'],
                    'final_best_loss': r64['final_best_loss'],
                    'final_mean_rgb_float': [float(v) for v in r64['final_float'].reshape(-1, 3).mean(0)],
                    'final_max_abs_pixel_diff_vs_float32': float(np.abs(r64['final_float']
                                                                        - r32['final_float']).max())},
        'diagnostics': diag,
        'diagnostics_note': 'losses that typical mistakes give (first printed iteration and the loss '
                            'after the first step): kernels with x and y swapped (the seed vgg.py '
                            'transposition), floor-mode pooling, average pooling that counts the padding',
    }
    doc.update(extra or {})
    with open(os.path.join(out_dir, 'reference-%s.json' % s['name']), 'w') as fh:
        json.dump(doc, fh, indent=1)
        fh.write('\n')
    return doc


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-30) if b != 0 else abs(a - b)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_dir = os.path.normpath(os.path.join(here, '..', 'NeuralStyle.Tests', 'Fixtures', 'tinyvgg'))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dir', default=default_dir)
    ap.add_argument('--configs', nargs='*', default=[c[0]['name'] for c in CONFIGS])
    args = ap.parse_args()
    torch.set_num_threads(1)          # deterministic reductions
    torch.use_deterministic_algorithms(True)

    self_test(args.dir)
    results = {}
    for s, cli, explicit in CONFIGS:
        if s['name'] not in args.configs:
            continue
        r32 = stylize(args.dir, s, torch.float32)
        r64 = stylize(args.dir, s, torch.float64)
        diag = {}
        if s['name'] in ('default', 'blend'):
            variants = {'kernel_x_y_swapped': {'orientation': 'xy'}, 'pool_floor_mode': {'pool_variant': 'floor'}}
            if s['pooling'] == 'avg':
                variants['avg_pool_counts_padding'] = {'pool_variant': 'avg-count-pad'}
            for vname, kw in variants.items():
                rv = stylize(args.dir, s, torch.float32, net_kwargs=kw, iterations=2)
                diag[vname] = {'iteration1': rv['printed'][0], 'loss_after_first_step':
                               rv['checkpoints'][0]['loss_after_step']}
        write_reference(args.dir, s, cli, explicit, r32, r64, diag)
        results[s['name']] = (r32, r64)
        if s['name'] == 'best-not-last':
            last_ck = r32['checkpoints'][-1]
            assert not last_ck['improved'] and r32['final_best_loss'] < last_ck['loss_after_step']
            assert not r64['checkpoints'][-1]['improved']

    if 'default' in results and 'old-layout' in results:
        a, b = results['default'][0], results['old-layout'][0]
        assert a['printed'] == b['printed'] and a['checkpoints'] == b['checkpoints'], 'old layout differs'
        assert np.array_equal(a['final_u8'], b['final_u8'])
        print('old-layout == default: bit-identical losses and image')

    print()
    print('%-10s %5s %-8s %22s %22s %10s' % ('config', 'iter', 'term', 'float32', 'float64', 'rel diff'))
    for name, (r32, r64) in results.items():
        for p32, p64 in zip(r32['printed'], r64['printed']):
            for term in ('content', 'style', 'tv', 'total'):
                print('%-10s %5d %-8s %22.12g %22.12g %10.2e' % (name, p32['iteration'], term, p32[term],
                                                                 p64[term], rel(p32[term], p64[term])))
        print('%-10s %5s %-8s %22.12g %22.12g %10.2e' % (name, 'best', 'total', r32['final_best_loss'],
                                                         r64['final_best_loss'],
                                                         rel(r32['final_best_loss'], r64['final_best_loss'])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
