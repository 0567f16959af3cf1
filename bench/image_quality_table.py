#!/usr/bin/python3
"""Prints the image-quality tables from the JSON files bench/image-quality.sh writes.

Usage: image_quality_table.py RUNS PRESET...
Reads RUNS/PRESET.json (`latent eval --json` of each run) and RUNS/mnist-real.json, RUNS/fashion-mnist-real.json
(`latent eval --real`), and prints three markdown tables: generated images against the test split, with each data
set's floor; the VAEs' likelihood bounds; the autoencoders' held-out figures.
"""
import json
import os
import sys

SAMPLES = [("classifier_fid", "FID", "{:.2f}"), ("classifier_kid", "KID ×10³", "{:.1f}", 1e3),
           ("classifier_precision", "precision", "{:.3f}"), ("classifier_recall", "recall", "{:.3f}"),
           ("classifier_density", "density", "{:.3f}"), ("classifier_coverage", "coverage", "{:.3f}"),
           ("class_kl", "class KL", "{:.4f}"), ("smallest_class_share", "rarest class", "{:.3f}"),
           ("class_accuracy", "class accuracy", "{:.3f}"), ("classifier_score", "classifier score", "{:.2f}")]
LIKELIHOODS = [("test_neg_elbo", "−ELBO, all test images", "{:.2f}"), ("test_nll_iwae_1", "IWAE k=1", "{:.2f}"),
               ("test_nll_iwae_50", "IWAE k=50", "{:.2f}"), ("test_nll_iwae_500", "IWAE k=500", "{:.2f}")]
AUTOENCODERS = [("test_recon", "test BCE", "{:.4f}"), ("test_mse", "test MSE", "{:.5f}"),
                ("test_noisy_mse", "masked input MSE", "{:.5f}"), ("test_denoised_mse", "denoised MSE", "{:.5f}"),
                ("test_denoising_gain", "denoising gain", "{:.2f}")]
DATA_SETS = (("mnist", "mnist-"), ("fashion-mnist", "fashion-"))


def cell(figures, column):
    name, _, form, *scale = column
    value = figures.get(name)
    return "–" if value is None else form.format(value * (scale[0] if scale else 1))


def table(columns, rows):
    lines = ["| run | " + " | ".join(c[1] for c in columns) + " |", "|" + " --- |" * (len(columns) + 1)]
    lines += ["| " + " | ".join([label] + [cell(figures, c) for c in columns]) + " |" for label, figures in rows]
    return "\n".join(lines)


def main():
    runs, presets = sys.argv[1], sys.argv[2:]

    def load(name):
        with open(os.path.join(runs, name + ".json")) as f:
            return json.load(f)

    results = {preset: load(preset) for preset in presets}
    generating, likelihoods, autoencoders = [], [], []
    for data, prefix in DATA_SETS:
        generating.append((f"**{data}: training images (floor)**", load(data + "-real")))
        for preset, figures in results.items():
            if not preset.startswith(prefix):
                continue
            if "classifier_fid" in figures:
                generating.append((f"`{preset}`", figures))
            if "test_nll_iwae_500" in figures:
                likelihoods.append((f"`{preset}` (IWAE over {figures['iwae_images']:,.0f} test images)", figures))
            if "test_denoising_gain" in figures:
                autoencoders.append((f"`{preset}`", figures))
    print(table(SAMPLES, generating))
    print()
    print(table(LIKELIHOODS, likelihoods))
    print()
    print(table(AUTOENCODERS, autoencoders))


if __name__ == "__main__":
    main()
