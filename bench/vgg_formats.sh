#!/bin/sh
# VGG-19 from every weight format (issue 13): the seed's command, 10 iterations at 256 px, run once with each file that
# `tools/make_vgg19_shaped_weights.py --same-network DIRECTORY` wrote (the same network in six formats, each in its own
# input convention), each run in a fresh process; prints Markdown tables of the losses (full precision, from each run's
# manifest), their largest relative differences within and between the convention groups, and the time and peak
# memory of each run. The runs' outputs go to DIRECTORY/runs (replaced by the next run). Further arguments are added
# to every run's command line (e.g. `--initial examples/chelsea.png`, which starts every run from the same RGB image).
#
# usage: bench/vgg_formats.sh DIRECTORY [FLAG ...]     (from the repository root, after a Release build)
#        bench/vgg_formats.sh --report DIRECTORY         (the tables again, from the runs already in DIRECTORY/runs)
set -eu
report_only=false
if [ "$1" = --report ]; then
    report_only=true
    shift
fi
dir=$1
shift
cli=src/NeuralStyle.Cli/bin/Release/net10.0/neural-style
runs=$dir/runs
mkdir -p "$runs"
rm -f "$runs/list.new"
files="vgg19-shaped.big.mat vgg19-shaped.big.caffemodel vgg19-shaped-v1.big.caffemodel vgg19-shaped.big.pth
vgg19-shaped-legacy.big.pth vgg19-shaped.big.safetensors vgg19-shaped.big.onnx"
for f in $files; do
    $report_only && break
    name=$(echo "$f" | sed 's/[^A-Za-z0-9]/_/g')
    /usr/bin/time -f "%e %M" -o "$runs/$name.time" "$cli" --content examples/chelsea.png \
        --styles examples/hubble_deep_field.jpg --output "$runs/$name.png" --network "$dir/$f" --recipe seed \
        --iterations 10 --print-iterations 1 --width 256 --seed 1 --overwrite "$@" > "$runs/$name.log" 2>&1
    echo "$f $runs/$name" >> "$runs/list.new"
done
$report_only || mv "$runs/list.new" "$runs/list"
/usr/bin/python3 - "$runs/list" <<'PY'
import json, os, sys

CAFFE = ('vgg19-shaped.big.mat', 'vgg19-shaped.big.caffemodel', 'vgg19-shaped-v1.big.caffemodel')
TERMS = ('content', 'style', 'tv', 'total')
runs = {}
for line in open(sys.argv[1]):
    name, stem = line.split()
    manifest = json.load(open(stem + '.json'))
    wall, peak_kb = open(stem + '.time').read().split()[-2:]
    runs[name] = dict(losses=manifest['losses'], wall=float(wall), peak=int(peak_kb) / 1024,
                      description=manifest['network']['description'], size=os.path.getsize(manifest['network']['path']))

print('| iteration | ' + ' | '.join(runs) + ' |')
print('|---|' + '---|' * len(runs))
for i in range(10):
    print(f'| {i + 1} | ' + ' | '.join(f"{r['losses'][i]['total']:.7g}" for r in runs.values()) + ' |')
print()
print('| file | term | iteration 1 | iteration 5 | iteration 10 |')
print('|---|---|---|---|---|')
for name, r in runs.items():
    for term in TERMS:
        print(f'| {name} | {term} | ' + ' | '.join(f"{r['losses'][i][term]:.7g}" for i in (0, 4, 9)) + ' |')
print()


def worst(names_a, names_b):
    """Per term, the largest |a - b| / |b| over the ten iterations and the pairs (a, b), with where it occurs."""
    out = {}
    for a in names_a:
        for b in names_b:
            if a == b:
                continue
            for la, lb in zip(runs[a]['losses'], runs[b]['losses']):
                for term in TERMS:
                    # a term that is 0 (the content loss at iteration 1 when starting from the content) is compared
                    # with the total instead
                    d = abs(la[term] - lb[term]) / abs(lb[term] if lb[term] != 0 else lb['total'])
                    if d > out.get(term, (-1,))[0]:
                        out[term] = (d, a, b, la['iteration'])
    return out


tv = [n for n in runs if n not in CAFFE]
caffe = [n for n in runs if n in CAFFE]
print('| comparison | ' + ' | '.join(TERMS) + ' | (where the total differs most) |')
print('|---|---|---|---|---|---|')
for label, a, b in (('within Caffe/MatConvNet group', caffe, caffe), ('within torchvision group', tv, tv),
                    ('between the groups', tv, caffe)):
    w = worst(a, b)
    d, fa, fb, it = w['total']
    print(f'| {label} | ' + ' | '.join(f'{w[t][0]:.2e}' for t in TERMS) + f' | {fa} vs {fb}, iteration {it} |')
print()
print('| file | size | network | wall s | s to iteration 1 | s for 10 iterations | peak RSS |')
print('|---|---|---|---|---|---|---|')
for name, r in runs.items():
    first, last = r['losses'][0]['elapsedSeconds'], r['losses'][-1]['elapsedSeconds']
    print(f"| {name} | {r['size'] / 2**20:.0f} MiB | {r['description']} | {r['wall']:.1f} | {first:.1f} | "
          f"{last - first:.1f} | {r['peak']:.0f} MiB |")
PY
