#!/bin/sh
# Load cost of every weights format (issue 13): each file read ROUNDS times (default 3), each read in a fresh process,
# the rounds interleaved so that a noisy neighbour on the shared machine hits every format alike; prints a Markdown
# table of medians. The big files come from tools/make_vgg19_shaped_weights.py and tools/make_vgg19_shaped_mat.py;
# the tiny ones are test fixtures, read to show each reader's cost with (almost) no data: the "empty run" whose peak
# is subtracted in the last columns (the first tiny file of each reader's format).
#
# With COLD=1 (root only) the page cache is dropped before every read, so the times include reading the disk: the
# cold-cache load time of a first run after a reboot or on a file not read for a while.
#
# usage: [COLD=1] bench/weights_load_cost.sh DIRECTORY [ROUNDS]     (from the repository root, after a Release build)
set -eu
dir=$1
rounds=${2:-3}
bench="dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll weights-load"
fixtures=tests/NeuralStyle.Tests/Fixtures
files="$fixtures/pytorch/tiny_net.pth $fixtures/pytorch/legacy/tiny_net.pth $fixtures/safetensors/mixed.safetensors
$fixtures/caffe/tiny-v2.caffemodel $fixtures/mat/vgg-mini-current.mat
$dir/vgg19-shaped.big.pth $dir/vgg19-shaped-legacy.big.pth $dir/vgg19-shaped.big.safetensors
$dir/vgg19-shaped.big.caffemodel $dir/vgg19-shaped-v1.big.caffemodel $dir/vgg19-shaped.big.mat
$dir/vgg19-shaped-old.big.mat"
results=$(mktemp)
for round in $(seq "$rounds"); do
    for f in $files; do
        if [ "${COLD:-0}" = 1 ]; then
            sync
            echo 3 > /proc/sys/vm/drop_caches
        fi
        $bench "$f" | sed -n "s|^RESULT |file=$f |p" >> "$results"
    done
done
/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r = dict(kv.split('=', 1) for kv in line.split())
    rows.setdefault(r['file'], []).append(r)
print('| file | format | file size | median s (min-max) | peak RSS | RSS before reading | peak - before | peak - empty run | weights kept | managed allocated | peak/kept | (peak - before)/kept | (peak - empty run)/kept |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
empty = {}
for name, rs in rows.items():
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    s = [float(r['seconds']) for r in rs]
    peak, before, kept, size = med('peak_kb') * 1024, med('baseline_kb') * 1024, med('kept_bytes'), med('file_bytes')
    above = statistics.median((float(r['peak_kb']) - float(r['baseline_kb'])) * 1024 for r in rs)
    mib = lambda b: f'{b / 2**10:.1f} KiB' if abs(b) < 2**20 else f'{b / 2**20:.1f} MiB' if abs(b) < 2**20 * 10 else f'{b / 2**20:.0f} MiB'
    ratio = lambda a: f'{a / kept:.2f}' if kept > 2**20 else 'n/a'
    empty.setdefault(rs[0]['format'], peak)
    over_empty = peak - empty[rs[0]['format']]
    managed = med('managed_allocated_bytes')
    print(f"| {name.split('/')[-1]} | {rs[0]['format']} | {mib(size)} | {statistics.median(s):.2f} ({min(s):.2f}-{max(s):.2f}) | "
          f"{mib(peak)} | {mib(before)} | {mib(above)} | {mib(over_empty)} | {mib(kept)} | {mib(managed)} | {ratio(peak)} | {ratio(above)} | {ratio(over_empty)} |")
PY
rm -f "$results"
