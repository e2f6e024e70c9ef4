#!/usr/bin/python3
"""PyTorch peer of `NeuralStyle.Bench compare`: the engine's style loop, step for step, in Debian's python3-torch.

    /usr/bin/python3 bench/pytorch_style_loop.py --network vgg19 --vgg-weights FILE --threads 2
    /usr/bin/python3 bench/pytorch_style_loop.py --network resnet18 --onnx ResNet18.onnx --threads 2

A worker: it prints one JSON line describing itself (torch version, the BLAS it loaded, what bf16 autocast can do),
then answers one JSON line per command read from standard input, so that the C# side can alternate its own runs
with this one's without paying for Python's start-up each time.  Commands:

    {"op": "run", "content": RAW, "style": RAW, "height": H, "width": W, "style_height": h, "style_width": w,
     "precision": "fp32" | "bf16", "iterations": N}

RAW is a file of float32 RGB values in 0..255, row-major H x W x 3 (what RgbImage holds).  The answer lists, for
each of the N iterations, its seconds and the total loss of the image before its step (what the engine reports).

The work of one iteration is the engine's (src/NeuralStyle/Transfer/GatysObjective.cs, StyleTransfer.cs):
forward of the image to the deepest layer used, content loss (mean of squares) and Gram style losses
(F F^T / (C H W), mean of squares) on the backbone's default layers, the seed's total variation, backward to the
image only (no weight gradients) and TensorFlow's Adam step.  The image starts as the content image; the targets
(content features, style Grams) are computed once per run, outside the timing.

- vgg19: VGG-19's convolutions to relu5_1 (conv 3x3 pad 1 + bias, ReLU, 2x2/2 max pool with ceil mode), with the
  weights of the engine's RandomVgg19 (read from --vgg-weights, written by the C# side); content relu4_2, style
  relu1_1..relu5_1 weight 1 each; content weight 5, style 100, TV 100, learning rate 10; VGG's mean pixel, RGB.
- resnet18: the bundled ResNet-18 run from its ONNX file (--onnx): each Conv, BatchNormalization (inference form),
  Relu, Add and MaxPool node as the matching torch call on the file's own initialisers, asymmetric pads taken as
  SAME_LOWER for the actual size (as the engine's importer does); content layer3.0 (ReLU333), style relu (ReLU253),
  layer1.1, layer2.1, layer3.1, layer4.0; SWAG smoothing (softmax over C*H*W of the activation divided by 4
  standard deviations of the content's activation, times C*H*W); content weight 5e4, style 5e8, TV 5, chroma TV
  400 (the seed's TV on BT.601 Cb and Cr), learning rate 2; BGR minus the ML.NET preprocessing's channel means.

bf16: the network's forward (and so its backward) under torch.autocast('cpu', dtype=torch.bfloat16); the features
are cast back to float32 and the losses, the image and Adam stay float32, as in the engine's bf16 path.
"""

import argparse
import json
import os
import platform
import re
import sys
import time

import torch
import torch.nn.functional as F

# The seed's Gram matrix and TensorFlow's Adam, as the VGG-only peer defines them (same directory).
from pytorch_reference import TFAdam, gram

VGG_MEAN_RGB = (123.68, 116.779, 103.939)
RESNET_MEAN_RGB = (123.15163, 115.902885, 103.06262)
VGG19_TO_RELU5_1 = [
    ('conv1_1', 3, 64), ('conv1_2', 64, 64), 'pool',
    ('conv2_1', 64, 128), ('conv2_2', 128, 128), 'pool',
    ('conv3_1', 128, 256), ('conv3_2', 256, 256), ('conv3_3', 256, 256), ('conv3_4', 256, 256), 'pool',
    ('conv4_1', 256, 512), ('conv4_2', 512, 512), ('conv4_3', 512, 512), ('conv4_4', 512, 512), 'pool',
    ('conv5_1', 512, 512),
]
RESNET_ALIASES = {
    'relu': 'ReLU253_Output_0', 'layer1.1': 'ReLU283_Output_0', 'layer2.1': 'ReLU315_Output_0',
    'layer3.0': 'ReLU333_Output_0', 'layer3.1': 'ReLU347_Output_0', 'layer4.0': 'ReLU365_Output_0',
}
# Rows of RGB -> (Cb, Cr), BT.601 full range (src/NeuralStyle/Imaging/ColorTransforms.cs), the offset dropped.
CBCR = ((-0.168736, -0.331264, 0.5), (0.5, -0.418688, -0.081312))


class Vgg:
    """VGG-19 to relu5_1 with the engine's RandomVgg19 weights (a raw float32 file: each conv's weight then bias)."""

    content_layers = ('relu4_2',)
    style_layers = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1')
    weights = dict(content=5.0, style=100.0, tv=100.0, chroma_tv=0.0, lr=10.0)
    swag = False
    mean_rgb = VGG_MEAN_RGB
    bgr = False

    def __init__(self, path):
        raw = torch.from_numpy(__import__('numpy').fromfile(path, dtype='<f4'))
        self.layers, at = [], 0
        for item in VGG19_TO_RELU5_1:
            if item == 'pool':
                self.layers.append(('pool', None, None))
                continue
            name, cin, cout = item
            n = cout * cin * 9
            w = raw[at:at + n].reshape(cout, cin, 3, 3).clone()
            b = raw[at + n:at + n + cout].clone()
            at += n + cout
            self.layers.append((name, w, b))
        if at != raw.numel():
            raise SystemExit('%s: %d floats, VGG-19 to conv5_1 has %d' % (path, raw.numel(), at))

    def forward(self, x, wanted):
        feats = {}
        for name, w, b in self.layers:
            if name == 'pool':
                x = F.max_pool2d(x, 2, 2, ceil_mode=True)
            else:
                x = F.relu(F.conv2d(x, w, b, padding=1))
                if 'relu' + name[4:] in wanted:
                    feats['relu' + name[4:]] = x
            if len(feats) == len(wanted):
                break
        return feats


class OnnxResNet:
    """The bundled ResNet-18's ONNX graph, node by node, as torch calls on its own initialisers."""

    content_layers = ('layer3.0',)
    style_layers = ('relu', 'layer1.1', 'layer2.1', 'layer3.1', 'layer4.0')
    weights = dict(content=5e4, style=5e8, tv=5.0, chroma_tv=400.0, lr=2.0)
    swag = True
    mean_rgb = RESNET_MEAN_RGB
    bgr = True

    def __init__(self, path):
        import onnx
        from onnx import numpy_helper
        model = onnx.load(path)
        self.params = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
        self.nodes = list(model.graph.node)
        self.input = [i.name for i in model.graph.input if i.name not in self.params][0]
        self.producer = {o: n for n in self.nodes for o in n.output}

    def _needed(self, outputs):
        needed, stack = set(), list(outputs)
        while stack:
            v = stack.pop()
            node = self.producer.get(v)
            if node is None or id(node) in needed:
                continue
            needed.add(id(node))
            stack.extend(node.input)
        return needed

    @staticmethod
    def _attrs(node):
        import onnx
        return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}

    @staticmethod
    def _same_lower(size, kernel, stride):
        out = (size + stride - 1) // stride
        total = max(0, (out - 1) * stride + kernel - size)
        return total - total // 2, total // 2

    def _padded(self, x, a, value):
        """x padded as the node says: explicit pads, or SAME_LOWER for this size when the file's pads are asymmetric."""
        k, s = a['kernel_shape'], a.get('strides', [1, 1])
        pads = a.get('pads', [0, 0, 0, 0])
        if pads[0] != pads[2] or pads[1] != pads[3]:
            (t, b), (l, r) = (self._same_lower(x.shape[2], k[0], s[0]), self._same_lower(x.shape[3], k[1], s[1]))
        else:
            t, l, b, r = pads
        return F.pad(x, (l, r, t, b), value=value) if (t or b or l or r) else x

    def forward(self, x, wanted):
        names = {RESNET_ALIASES[w]: w for w in wanted}
        needed = self._needed(list(names))
        values, feats = {self.input: x}, {}
        for node in self.nodes:
            if id(node) not in needed:
                continue
            a = self._attrs(node)
            ins = [values[i] if i in values else self.params[i] for i in node.input]
            op = node.op_type
            if op == 'Conv':
                if a.get('dilations', [1, 1]) != [1, 1]:
                    raise SystemExit('dilated Conv is not implemented here')
                y = F.conv2d(self._padded(ins[0], a, 0.0), ins[1], ins[2] if len(ins) > 2 else None,
                             stride=a.get('strides', [1, 1]), groups=a.get('group', 1))
            elif op == 'BatchNormalization':
                y = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2], training=False, eps=a.get('epsilon', 1e-5))
            elif op == 'Relu':
                y = F.relu(ins[0])
            elif op == 'Add':
                y = ins[0] + ins[1]
            elif op == 'MaxPool':
                y = F.max_pool2d(self._padded(ins[0], a, float('-inf')), a['kernel_shape'], a.get('strides', [1, 1]))
            else:
                raise SystemExit('ONNX operator %s is not implemented here' % op)
            values[node.output[0]] = y
            if node.output[0] in names:
                feats[names[node.output[0]]] = y
        return feats


def swag(f, temperature):
    n = f.shape[1] * f.shape[2] * f.shape[3]
    return (F.softmax((f / temperature).reshape(f.shape[0], n), 1) * n).reshape(f.shape)


def total_variation(x):
    dy = x[:, :, 1:, :] - x[:, :, :-1, :]
    dx = x[:, :, :, 1:] - x[:, :, :, :-1]
    return dy.pow(2).mean() + dx.pow(2).mean()


def chroma_tv(x, bgr):
    rgb = x.flip(1) if bgr else x
    chroma = torch.einsum('ck,nkhw->nchw', torch.tensor(CBCR, dtype=x.dtype), rgb)
    return total_variation(chroma)


def read_image(path, height, width, net):
    import numpy
    hwc = torch.from_numpy(numpy.fromfile(path, dtype='<f4').reshape(height, width, 3).copy())
    chw = (hwc - torch.tensor(net.mean_rgb)).permute(2, 0, 1)
    if net.bgr:
        chw = chw.flip(0)
    return chw.unsqueeze(0).contiguous()


def features(net, x, wanted, bf16):
    if not bf16:
        return net.forward(x, wanted)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        feats = net.forward(x, wanted)
    return {k: v.float() for k, v in feats.items()}


def run(net, cmd):
    bf16 = cmd['precision'] == 'bf16'
    w = net.weights
    content = read_image(cmd['content'], cmd['height'], cmd['width'], net)
    style = read_image(cmd['style'], cmd['style_height'], cmd['style_width'], net)
    layers = tuple(dict.fromkeys(net.content_layers + net.style_layers))
    with torch.no_grad():
        # As the engine: the targets in the run's precision; SWAG temperatures from the content image's activations.
        cf = features(net, content, layers if net.swag else net.content_layers, bf16)
        temps = {l: max(float(cf[l].std()) * 4.0, 1e-6) for l in layers} if net.swag else {}
        smooth = (lambda l, f: swag(f, temps[l])) if net.swag else (lambda l, f: f)
        content_targets = {l: smooth(l, cf[l]) for l in net.content_layers}
        sf = features(net, style, net.style_layers, bf16)
        style_targets = {l: gram(smooth(l, sf[l])) for l in net.style_layers}
    x = content.clone()
    opt = TFAdam(x, w['lr'])
    seconds, losses = [], []
    for _ in range(cmd['iterations']):
        t0 = time.perf_counter()
        xv = x.detach().requires_grad_(True)
        feats = {l: smooth(l, f) for l, f in features(net, xv, layers, bf16).items()}
        content_loss = 0.0
        for l in net.content_layers:
            content_loss = content_loss + (feats[l] - content_targets[l]).pow(2).mean() * w['content']
        style_loss = 0.0
        for l in net.style_layers:
            style_loss = style_loss + (gram(feats[l]) - style_targets[l]).pow(2).mean()
        style_loss = style_loss * w['style']
        tv_loss = total_variation(xv) * w['tv']
        if w['chroma_tv'] > 0:
            tv_loss = tv_loss + chroma_tv(xv, net.bgr) * w['chroma_tv']
        loss = content_loss + style_loss + tv_loss
        (grad,) = torch.autograd.grad(loss, xv)
        opt.step(grad)
        losses.append(float(loss.detach()))
        seconds.append(time.perf_counter() - t0)
    return {'seconds': seconds, 'losses': losses}


def loaded_blas():
    """The BLAS library this process has mapped (after a matrix product), from /proc/self/maps."""
    torch.ones(64, 64).mm(torch.ones(64, 64))
    found = set()
    try:
        with open('/proc/self/maps') as f:
            for line in f:
                path = line.split()[-1]
                base = os.path.basename(path)
                if 'blas' in base or 'mkl' in base or 'lapack' in base:
                    found.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(found)


def blas_description():
    config = torch.__config__.show()
    info = re.findall(r'\b(?:BLAS_INFO|LAPACK_INFO)=[^,\s]*', config)
    alternative = '/etc/alternatives/libblas.so.3-x86_64-linux-gnu'
    target = os.path.realpath(alternative) if os.path.exists(alternative) else None
    mapped = loaded_blas()
    openblas = any('openblas' in p for p in mapped)
    reference = any(('/blas/' in p or p.endswith('libblas.so.3.11.0')) and 'openblas' not in p for p in mapped)
    return {'build': ', '.join(info) or 'BLAS_INFO not in torch.__config__.show()', 'alternative': target,
            'loaded': mapped, 'openblas': openblas, 'reference_blas': reference and not openblas}


def bf16_autocast_probe():
    """What torch.autocast('cpu', bfloat16) does with a convolution, forward and backward, in this build."""
    try:
        x = torch.randn(1, 8, 16, 16, requires_grad=True)
        w = torch.randn(8, 8, 3, 3)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            y = F.relu(F.conv2d(x, w, padding=1))
            p = F.max_pool2d(y, 2, 2, ceil_mode=True)
        p.float().sum().backward()
        return {'works': True, 'conv_output': str(y.dtype), 'pool_output': str(p.dtype), 'grad': str(x.grad.dtype)}
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        return {'works': False, 'error': '%s: %s' % (type(e).__name__, str(e).splitlines()[0] if str(e) else '')}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--network', choices=('vgg19', 'resnet18'), required=True)
    ap.add_argument('--vgg-weights')
    ap.add_argument('--onnx')
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    if args.network == 'vgg19':
        if not args.vgg_weights:
            raise SystemExit('--vgg-weights is required for vgg19')
        net = Vgg(args.vgg_weights)
    else:
        if not args.onnx:
            raise SystemExit('--onnx is required for resnet18')
        net = OnnxResNet(args.onnx)
    hello = {'torch': torch.__version__, 'python': platform.python_version(), 'threads': torch.get_num_threads(),
             'mkldnn': torch.backends.mkldnn.is_available(), 'blas': blas_description(),
             'bf16_autocast': bf16_autocast_probe(), 'network': args.network}
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        if cmd.get('op') == 'quit':
            break
        try:
            answer = run(net, cmd)
        except Exception as e:  # noqa: BLE001 - reported to the C# side, which prints the row as failed
            answer = {'error': '%s: %s' % (type(e).__name__, (str(e).splitlines() or [''])[0])}
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
