#!/usr/bin/python3
"""PyTorch peer of `NeuralStyle.Bench zoo`: inference throughput of torchvision's models (issue 14, items 3-4).

    /usr/bin/python3 bench/pytorch_zoo_reference.py --threads 2 --serve
    /usr/bin/python3 bench/pytorch_zoo_reference.py --threads 2 --model resnet18 --batches 1 8 --warmup 2 --timed 5

Needs Debian's /usr/bin/python3 (torch, torchvision); no network, no weight files: every model has torchvision's own
random initialisation (speed does not depend on the values).  Models run in evaluation mode under
torch.inference_mode(), on a float32 batch of seeded normal values at the model's native input size.

--serve keeps one process for a whole benchmark run so that the C# side can alternate with it model by model without
paying for Python's start-up each time.  It reads one JSON object per line on stdin and answers one per line:

    {"cmd": "info"}                                           -> versions, BLAS, threads
    {"cmd": "load", "name": "vgg16", "input": [3, 224, 224]}  -> {"parameters": N}
    {"cmd": "time", "batch": 8, "warmup": 2, "timed": 5}      -> {"samples": [seconds per batch, ...]}
    {"cmd": "unload"}  /  {"cmd": "quit"}

Thread counts: torch.set_num_threads(N) for ATen/oneDNN (OpenMP) and OPENBLAS_NUM_THREADS=N for OpenBLAS's own
pthread pool (libopenblas0-pthread), both set before torch is imported.
"""

import argparse
import json
import os
import sys


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--serve', action='store_true', help='answer JSON commands on stdin (used by the C# bench)')
    ap.add_argument('--model', help='time one torchvision model and print a line per batch size')
    ap.add_argument('--input', default='3x224x224', help='CxHxW (299x299 for inception_v3)')
    ap.add_argument('--batches', type=int, nargs='+', default=[1, 8])
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--timed', type=int, default=5)
    return ap.parse_args()


ARGS = parse_args()
# Before torch loads OpenBLAS and OpenMP: their pools size themselves once, at load time.
os.environ['OPENBLAS_NUM_THREADS'] = str(ARGS.threads)
os.environ['OMP_NUM_THREADS'] = str(ARGS.threads)

import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torchvision  # noqa: E402

torch.set_num_threads(ARGS.threads)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def blas_library():
    """The BLAS shared object this process really loaded (Debian picks it through update-alternatives)."""
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1]
            if 'blas' in os.path.basename(path).lower():
                return os.path.realpath(path)
    return 'none loaded'


def info():
    return {
        'torch': torch.__version__, 'torchvision': torchvision.__version__, 'python': sys.version.split()[0],
        'blas': blas_library(), 'threads': torch.get_num_threads(),
        'openblas_threads': os.environ.get('OPENBLAS_NUM_THREADS'), 'mkldnn': torch.backends.mkldnn.is_available(),
    }


def build(name):
    # aux_logits=True and init_weights=True: the zoo builds GoogLeNet and Inception v3 with their auxiliary heads
    # (they count in the parameters but do not run in evaluation mode), as torchvision does by default.
    if name in ('googlenet', 'inception_v3'):
        model = getattr(torchvision.models, name)(weights=None, aux_logits=True, init_weights=True)
    else:
        model = getattr(torchvision.models, name)(weights=None)
    return model.eval()


class Session:
    def __init__(self):
        self.model = None
        self.shape = None
        self.inputs = {}

    def load(self, name, shape):
        self.model = None
        self.inputs = {}
        torch.manual_seed(0)
        self.model = build(name)
        self.shape = tuple(shape)
        return {'parameters': sum(p.numel() for p in self.model.parameters())}

    def time(self, batch, warmup, timed):
        if batch not in self.inputs:
            self.inputs[batch] = torch.randn((batch,) + self.shape, generator=torch.Generator().manual_seed(1))
        x = self.inputs[batch]
        samples = []
        with torch.inference_mode():
            for i in range(warmup + timed):
                start = time.perf_counter()
                y = self.model(x)
                elapsed = time.perf_counter() - start
                del y
                if i >= warmup:
                    samples.append(elapsed)
        return {'samples': samples}


def serve():
    session = Session()
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        try:
            kind = cmd['cmd']
            if kind == 'info':
                answer = info()
            elif kind == 'load':
                answer = session.load(cmd['name'], cmd['input'])
            elif kind == 'time':
                answer = session.time(cmd['batch'], cmd['warmup'], cmd['timed'])
            elif kind == 'unload':
                session.model = None
                session.inputs = {}
                answer = {}
            elif kind == 'quit':
                print(json.dumps({}), flush=True)
                return
            else:
                answer = {'error': f'unknown command {kind}'}
        except Exception as e:  # the C# side reports it as one line
            answer = {'error': f'{type(e).__name__}: {e}'}
        print(json.dumps(answer), flush=True)


def main():
    if ARGS.serve:
        serve()
        return
    print(json.dumps(info()))
    if not ARGS.model:
        return
    session = Session()
    shape = [int(v) for v in ARGS.input.split('x')]
    print(f"{ARGS.model}: {session.load(ARGS.model, shape)['parameters']:,} parameters")
    for batch in ARGS.batches:
        samples = session.time(batch, ARGS.warmup, ARGS.timed)['samples']
        median = statistics.median(samples)
        print(f'batch {batch}: median {median:.4f} s/batch, {batch / median:.1f} img/s')


if __name__ == '__main__':
    main()
