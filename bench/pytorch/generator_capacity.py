"""How sharp can a ring generator of a given size get, with the easiest possible training signal?

Fits the generator by plain regression to an ideal transport map from z ~ N(0, I) to the 8-Gaussian ring
(the angle sector of z picks the mode; a smooth jitter of about the modes' spread is added), then reports
the share of its samples within 0.15 (3 std) of a mode: the high-quality share of bench/WORKLOADS.md.
A GAN can only do worse than this at the same size and number of steps: it is an upper bound in practice.

    /usr/bin/python3 bench/pytorch/generator_capacity.py
"""
import math

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
CENTERS = torch.tensor([[2 * math.cos(2 * math.pi * i / 8), 2 * math.sin(2 * math.pi * i / 8)] for i in range(8)])


def ideal_map(z):
    angle = torch.atan2(z[:, 1], z[:, 0]) % (2 * math.pi)
    position = angle / (2 * math.pi / 8)
    sector = position.long().clamp(max=7)
    along = torch.erf((position - sector - 0.5) * 3) * 0.075
    across = torch.erf(z.norm(dim=1) - 1.2) * 0.075
    center = CENTERS[sector]
    radial = center / center.norm(dim=1, keepdim=True)
    tangent = torch.stack([-radial[:, 1], radial[:, 0]], 1)
    return center + radial * across[:, None] + tangent * along[:, None]


def high_quality_share(generator):
    with torch.no_grad():
        samples = generator(torch.randn(2500, 2))
        return (torch.cdist(samples, CENTERS).min(1).values <= 0.15).float().mean().item()


for hidden in ([128], [128, 128]):
    widths = [2, *hidden]
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    generator = nn.Sequential(*layers, nn.Linear(widths[-1], 2))
    optimizer = torch.optim.Adam(generator.parameters(), 1e-3)
    for step in range(1, 20_001):
        z = torch.randn(1024, 2)
        loss = (generator(z) - ideal_map(z)).pow(2).sum(1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step in (3_000, 10_000, 20_000):
            shape = "-".join(str(w) for w in [2, *hidden, 2])
            print(f"G {shape}, step {step}: high_quality_share {high_quality_share(generator):.3f}", flush=True)
