#!/usr/bin/env bash
# The README's image-quality tables: every image preset after its default training, scored by `latent eval`
# with Latent's own classifiers, beside the real-versus-real floor of each data set; the VAEs' likelihood
# bounds; the denoising autoencoders' held-out figures.
#
#   bench/image-quality.sh [RUNS]      default RUNS: bench/results/image-quality
#
# A preset whose folder RUNS/NAME already holds a finished run is evaluated, not trained again, so the
# script can resume after an interruption or score runs trained elsewhere with the same command
# (`latent train NAME --out RUNS/NAME`). Environment: THREADS (default 1 for training, which runs
# one preset at a time), LATENT_DATA (the data store). Writes RUNS/NAME.json and RUNS/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-bench/results/image-quality}"
threads="${THREADS:-1}"
mkdir -p "$runs"
dotnet build src/Latent.Cli -c Release -o "$runs/bin" >/dev/null
latent() { "$runs/bin/Latent.Cli" "$@"; }

presets=(mnist-gan-mlp mnist-wgangp-mlp mnist-cgan-mlp mnist-dcgan mnist-vae-mlp mnist-vae-conv mnist-cvae-mlp mnist-dae-conv
         fashion-gan-mlp fashion-wgangp-mlp fashion-cgan-mlp fashion-dcgan fashion-vae-mlp fashion-vae-conv fashion-cvae-mlp fashion-dae-conv)
for data in mnist fashion-mnist; do
  latent data fetch "$data" >/dev/null
  [ -f "$runs/$data-real.json" ] || latent eval --real "$data" --json > "$runs/$data-real.json"
done
for preset in "${presets[@]}"; do
  if [ ! -f "$runs/$preset/eval.json" ]; then
    rm -rf "${runs:?}/$preset"
    echo "training $preset ($threads threads)" >&2
    latent train "$preset" --threads "$threads" --out "$runs/$preset" --quiet >/dev/null
  fi
  [ -f "$runs/$preset.json" ] || latent eval "$runs/$preset" --json > "$runs/$preset.json"
done
/usr/bin/python3 bench/image_quality_table.py "$runs" "${presets[@]}" | tee "$runs/table.md"
