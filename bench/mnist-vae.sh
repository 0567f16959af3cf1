#!/usr/bin/env bash
# The mnist-vae-mlp comparison of bench/WORKLOADS.md: the same recipe trained by Latent and by PyTorch
# (Debian's python3-torch) on this machine, one after the other, seed by seed; prints one table.
#
#   bench/mnist-vae.sh [SEEDS...]        default seeds: 0 1
#
# Environment: THREADS (libtorch/torch threads, default: all cores), EPOCHS (default 10),
# LATENT_DATA (the data store, as for `latent data`). Runs go to bench/results/mnist-vae/.
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=("$@")
[ "$#" -eq 0 ] && seeds=(0 1)
threads="${THREADS:-$(nproc)}"
epochs="${EPOCHS:-10}"
python=/usr/bin/python3
out=bench/results/mnist-vae
mkdir -p "$out"

"$python" -c 'import torch' 2>/dev/null || { echo "mnist-vae: $python cannot import torch; install Debian's python3-torch (apt-get install python3-torch)" >&2; exit 2; }
dotnet build src/Latent.Cli -c Release -o "$out/bin" >/dev/null
latent() { "$out/bin/Latent.Cli" "$@"; }
latent data fetch mnist >/dev/null
data="${LATENT_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/latent/data}/mnist"

# figure FILE a.b.c: one number from a JSON file, by its dotted path.
figure() { "$python" -c 'import json,sys,functools; print(functools.reduce(lambda d,k: d[k], sys.argv[2].split("."), json.load(open(sys.argv[1]))))' "$@"; }

rows=()
for seed in "${seeds[@]}"; do
  run="$out/latent-seed$seed"
  rm -rf "$run"
  start=$(date +%s)
  latent train mnist-vae-mlp --seed "$seed" --epochs "$epochs" --threads "$threads" --out "$run" --quiet >/dev/null
  latent_seconds=$(( $(date +%s) - start ))
  torch_json="$out/pytorch-seed$seed.json"
  "$python" bench/pytorch/mnist_vae.py --data "$data" --epochs "$epochs" --seed "$seed" --threads "$threads" --json "$torch_json" >/dev/null
  rows+=("$(printf '| %s | %.2f | %.2f | %.2f | %.2f | %+.2f | %.0f s | %.0f s |' "$seed" \
    "$(figure "$run/eval.json" test_neg_elbo)" "$(figure "$torch_json" final.test_neg_elbo_single_sample)" \
    "$(figure "$run/eval.json" test_neg_elbo_10)" "$(figure "$torch_json" final.test_neg_elbo_k_samples)" \
    "$("$python" -c 'import sys; print(float(sys.argv[1]) - float(sys.argv[2]))' "$(figure "$run/eval.json" test_neg_elbo_10)" "$(figure "$torch_json" final.test_neg_elbo_k_samples)")" \
    "$latent_seconds" "$(figure "$torch_json" wall_seconds)")")
done

echo "mnist-vae-mlp, $epochs epochs, $threads threads, test negative ELBO in nats per image (lower is better)"
echo "| seed | Latent, 1 z | PyTorch, 1 z | Latent, 10 z | PyTorch, 10 z | Latent − PyTorch (10 z) | Latent time | PyTorch time |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
