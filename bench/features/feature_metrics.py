#!/usr/bin/python3
"""FID and KID of two feature matrices, computed with NumPy and SciPy as an independent check of Latent's.

Usage: feature_metrics.py REAL.npy FAKE.npy

Both files hold 2-D matrices (N, F) with the same F, one feature vector per row. Prints one JSON
object: {"fid": ..., "kid": ...}.

- fid: ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2)), with unbiased covariances and
  scipy.linalg.sqrtm taken on the non-symmetric product S1 S2, the classic way (pytorch-fid). When
  that square root is not finite (a singular product), eps = 1e-6 is added to both diagonals and
  the root taken again; of a complex result only the real part is kept. Latent takes another
  route (symmetric eigendecompositions), which is the point of comparing.
- kid: the unbiased estimate of MMD^2 with the kernel k(x, y) = (x.y / F + 1)^3 over all rows,
  no subsets: what Latent's KernelDistance.Unbiased computes.

Meant for Debian's /usr/bin/python3 with python3-numpy and python3-scipy.
"""

import json
import sys

import numpy as np
from scipy import linalg

SINGULAR_EPS = 1e-6


def load_features(path):
    matrix = np.load(path, allow_pickle=False)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        sys.exit(f"{path}: shape {matrix.shape}; expected a 2-D matrix (N, F) with N >= 2")
    return matrix.astype(np.float64)


def frechet_distance(real, fake):
    mean_real, mean_fake = real.mean(axis=0), fake.mean(axis=0)
    cov_real = np.cov(real, rowvar=False, ddof=1)
    cov_fake = np.cov(fake, rowvar=False, ddof=1)
    root, _ = linalg.sqrtm(cov_real @ cov_fake, disp=False)
    if not np.isfinite(root).all():
        print(f"feature_metrics: sqrtm of the covariance product is not finite; adding {SINGULAR_EPS} to both diagonals",
              file=sys.stderr)
        shift = SINGULAR_EPS * np.eye(cov_real.shape[0])
        root, _ = linalg.sqrtm((cov_real + shift) @ (cov_fake + shift), disp=False)
    if np.iscomplexobj(root):
        largest_imaginary = np.abs(root.imag).max()
        if largest_imaginary > 1e-3:
            print(f"feature_metrics: sqrtm left imaginary parts up to {largest_imaginary:.3g}; keeping the real part",
                  file=sys.stderr)
        root = root.real
    difference = mean_real - mean_fake
    return float(difference @ difference + np.trace(cov_real) + np.trace(cov_fake) - 2.0 * np.trace(root))


def polynomial_kernel(a, b):
    return (a @ b.T / a.shape[1] + 1.0) ** 3


def unbiased_mmd2(x, y):
    m, n = x.shape[0], y.shape[0]
    within_x = polynomial_kernel(x, x)
    within_y = polynomial_kernel(y, y)
    across = polynomial_kernel(x, y)
    # Pairs of a row with itself are left out of the within-set averages, which is what makes the estimate unbiased.
    off_diagonal_x = within_x.sum() - np.trace(within_x)
    off_diagonal_y = within_y.sum() - np.trace(within_y)
    return float(off_diagonal_x / (m * (m - 1)) + off_diagonal_y / (n * (n - 1)) - 2.0 * across.sum() / (m * n))


def main(argv):
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} REAL.npy FAKE.npy")
    real, fake = load_features(argv[1]), load_features(argv[2])
    if real.shape[1] != fake.shape[1]:
        sys.exit(f"{argv[1]} has {real.shape[1]} features per row and {argv[2]} has {fake.shape[1]}; expected the same")
    print(json.dumps({"fid": frechet_distance(real, fake), "kid": unbiased_mmd2(real, fake)}))


if __name__ == "__main__":
    main(sys.argv)
