#!/usr/bin/python3
"""Prints the image-quality table from the JSON files bench/image-quality.sh writes.

Usage: image_quality_table.py RUNS PRESET...   (reads RUNS/PRESET.json, RUNS/mnist-real.json, RUNS/fashion-mnist-real.json)
"""
import json
import os
import sys

COLUMNS = [("classifier_fid", "FID", "{:.2f}"), ("classifier_kid", "KID ×10³", "{:.2f}", 1e3),
           ("classifier_precision", "precision", "{:.3f}"), ("classifier_recall", "recall", "{:.3f}"),
           ("classifier_density", "density", "{:.3f}"), ("classifier_coverage", "coverage", "{:.3f}"),
           ("class_kl", "class KL", "{:.4f}"), ("class_accuracy", "class accuracy", "{:.3f}")]


def cell(figures, column):
    name, _, form, *scale = column
    value = figures.get(name)
    return "–" if value is None else form.format(value * (scale[0] if scale else 1))


def row(label, figures):
    return "| " + " | ".join([label] + [cell(figures, c) for c in COLUMNS]) + " |"


def main():
    runs, presets = sys.argv[1], sys.argv[2:]
    print("| run | " + " | ".join(c[1] for c in COLUMNS) + " |")
    print("|" + " --- |" * (len(COLUMNS) + 1))
    for data, prefix in (("mnist", "mnist-"), ("fashion-mnist", "fashion-")):
        with open(os.path.join(runs, data + "-real.json")) as f:
            print(row(f"**{data} train vs test (floor)**", json.load(f)))
        for preset in (p for p in presets if p.startswith(prefix)):
            with open(os.path.join(runs, preset + ".json")) as f:
                print(row(f"`{preset}`", json.load(f)))


if __name__ == "__main__":
    main()
