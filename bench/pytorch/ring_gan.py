"""The ring-of-8-Gaussians GAN workloads (gan8g, wgangp8g) written plainly in PyTorch.

An independent implementation of the same recipe as Latent's presets, with the mode metrics of
bench/WORKLOADS.md, to check Latent's numbers against. Run with Debian's Python and python3-torch:

    /usr/bin/python3 bench/pytorch/ring_gan.py --loss wasserstein --gp 10 --critic-steps 5 --lr 1e-3 --beta1 0 --seeds 0-3
"""
import argparse
import math
import time

import numpy as np
import torch
from torch import nn


def ring_centers(modes=8, radius=2.0):
    angles = 2 * math.pi * np.arange(modes) / modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], 1).astype(np.float32)


def mode_metrics(samples, centers, std, within=3.0):
    d = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest, distance = d.argmin(1), d.min(1)
    good = distance <= within * std
    histogram = np.bincount(nearest[good], minlength=len(centers))
    p = histogram / max(histogram.sum(), 1)
    kl = float(np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) * len(centers)), 0))) if good.any() else float("nan")
    return int((histogram > 0).sum()), float(good.mean()), kl


def mlp(inputs, hidden, outputs, activation):
    act = nn.LeakyReLU(0.2) if activation == "leaky-relu" else nn.ReLU()
    return nn.Sequential(nn.Linear(inputs, hidden), act, nn.Linear(hidden, outputs))


def train(args, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    centers = ring_centers()
    centers_t = torch.from_numpy(centers)
    generator = mlp(2, 128, 2, args.activation)
    critic = mlp(2, 128, 1, args.activation)
    g_opt = torch.optim.Adam(generator.parameters(), lr=args.lr, betas=(args.beta1, args.beta2))
    d_opt = torch.optim.Adam(critic.parameters(), lr=args.lr, betas=(args.beta1, args.beta2))

    def real_batch(n):
        idx = torch.from_numpy(rng.integers(0, 8, n))
        return centers_t[idx] + 0.05 * torch.randn(n, 2)

    start = time.perf_counter()
    for step in range(args.steps):
        for _ in range(args.critic_steps):
            real = real_batch(args.batch)
            with torch.no_grad():
                fake = generator(torch.randn(args.batch, 2))
            real_scores, fake_scores = critic(real), critic(fake)
            if args.loss == "wasserstein":
                d_loss = fake_scores.mean() - real_scores.mean()
            else:
                d_loss = nn.functional.softplus(-real_scores).mean() + nn.functional.softplus(fake_scores).mean()
            if args.gp > 0:
                eps = torch.rand(args.batch, 1)
                mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
                grad, = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
                d_loss = d_loss + args.gp * ((grad.pow(2).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()
            d_opt.zero_grad()
            d_loss.backward()
            d_opt.step()
        scores = critic(generator(torch.randn(args.batch, 2)))
        g_loss = -scores.mean() if args.loss == "wasserstein" else nn.functional.softplus(-scores).mean()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        samples = generator(torch.randn(2500, 2)).numpy()
    return mode_metrics(samples, centers, 0.05), args.steps / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loss", default="wasserstein", choices=["wasserstein", "non-saturating"])
    parser.add_argument("--gp", type=float, default=10.0)
    parser.add_argument("--critic-steps", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--beta1", type=float, default=0.0)
    parser.add_argument("--beta2", type=float, default=0.9)
    parser.add_argument("--activation", default="relu", choices=["relu", "leaky-relu"])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seeds", default="0-3")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    first, last = (int(s) for s in args.seeds.split("-"))
    print(f"torch {torch.__version__}, {vars(args)}")
    for seed in range(first, last + 1):
        (modes, share, kl), rate = train(args, seed)
        print(f"seed {seed}: modes_covered {modes}  high_quality_share {share:.4f}  mode_kl {kl:.4f}  ({rate:.0f} steps/s)")


if __name__ == "__main__":
    main()
