#!/bin/sh
# Every speed comparison of issue 14 in one command, from the repository root: the style loop against PyTorch
# (VGG-19 shapes and the bundled ResNet-18, fp32 and bf16, with plots), the zoo's inference against torchvision, the
# engine options and the bf16 path's speed and quality. Each writes its own BENCHMARKS.md section (compare writes its
# section, docs/bench/compare.json and the plots; the others print their tables, pasted into their sections).
# PyTorch must be Debian's python3-torch with OpenBLAS (apt-get install libopenblas0-pthread): compare says which BLAS
# it found and warns when it is the reference BLAS. Takes about an hour on a quiet 2-core machine; run nothing else.
#
# usage: bench/speed.sh [OUTPUT_DIR]      (default /tmp/neural-style-speed; the printed tables go there)
set -eu
out=${1:-/tmp/neural-style-speed}
mkdir -p "$out"
dotnet build bench/NeuralStyle.Bench -c Release --nologo -v q
bench="dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll"
$bench compare --sizes 256 512 1024 --rounds 2 --timed 5 --warmup 2 | tee "$out/compare.txt"
$bench zoo --rounds 2 --timed 5 | tee "$out/zoo.txt"
$bench options --sizes 256 512 --rounds 2 --timed 3 | tee "$out/options.txt"
$bench precision --networks vgg19 resnet18 --sizes 256 512 --rounds 3 --timed 3 | tee "$out/precision.txt"
