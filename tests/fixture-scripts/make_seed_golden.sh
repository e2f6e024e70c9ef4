#!/bin/sh
# Golden outputs of the seed's runs on the tiny VGG (Fixtures/tinyvgg/golden-seed-*.png), made by the CLI as it was
# before the picture options of issue 12 (commit 6094d0b, the parent of the first picture-settings commit): a test
# then checks that the current CLI still writes the same bytes, so the new options changed nothing for the seed.
# Run from the repository root; it builds that commit in a temporary folder (about a minute) and needs no network.
set -eu
commit=6094d0b
out=tests/NeuralStyle.Tests/Fixtures/tinyvgg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$commit" | tar -x -C "$work"
dotnet build "$work/src/NeuralStyle.Cli" -c Release -v quiet -nologo >/dev/null
cli="$work/src/NeuralStyle.Cli/bin/Release/net10.0/neural-style.dll"
run() {
    name=$1
    shift
    dotnet "$cli" --network "$out/tiny-vgg-current.mat" --content "$out/content.png" --styles "$out/style1.png" \
        --recipe seed --threads 1 --output "$work/$name.png" "$@" 2>/dev/null
    cp "$work/$name.png" "$out/golden-seed-$name.png"
}
# Every setting the seed's default (noise start, 100 iterations), with a fixed random seed.
run noise --seed 7
# The PyTorch reference's "default" configuration (reference-default.json): the content as the start, 50 iterations.
run content --initial "$out/content.png" --iterations 50
