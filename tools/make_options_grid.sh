#!/usr/bin/env bash
# Makes docs/options-grid.png, the README's comparison of recipes and options on one content and style, and prints
# each panel's wall time. Needs a Release build of the CLI and ImageMagick's montage (Debian: imagemagick).
#   bash tools/make_options_grid.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
cli="dotnet src/NeuralStyle.Cli/bin/Release/net10.0/neural-style.dll"
out=$(mktemp -d)
common=(--content examples/chelsea.png --styles examples/brick.png --initial examples/chelsea.png --width 192
  --iterations 200 --seed 1 --threads "$threads" --overwrite)

panel() {
  local name=$1
  shift
  local start=$SECONDS
  $cli "${common[@]}" "$@" --output "$out/$name.png" > /dev/null 2> "$out/$name.log"
  echo "$name: $((SECONDS - start)) s: $*"
}

panel seed --recipe seed --learning-rate 10
panel ours
panel histogram --color-transfer histogram
panel luminance --luminance-only
panel preserve --preserve-colors
panel meanstd --style-loss meanstd --style-weight 5e3
panel w2 --style-loss w2 --style-weight 5e3
panel sliced --style-loss sliced --style-weight 5e3

convert examples/chelsea.png -resize 192x "$out/content.png"
convert examples/brick.png -resize 128x128 -gravity center -background white -extent 192x128 "$out/style.png"
montage "$out"/{content,seed,ours,histogram,luminance,style,preserve,meanstd,w2,sliced}.png \
  -tile 5x2 -geometry +2+2 -background white docs/options-grid.png
rm -rf "$out"
echo "wrote docs/options-grid.png"
