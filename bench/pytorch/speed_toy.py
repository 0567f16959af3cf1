"""The toy workloads of WORKLOADS.md as plain PyTorch training steps, for the speed comparison.

Same recipes as Latent's presets of the same names: gan8g, wgan8g, wgangp8g (8-Gaussian ring, batch 256),
gan1d (N(3, 0.5), minibatch std in D, R1 gamma 1, EMA 0.99), ae2d and vae2d (full batch). Each
`make(name)` returns a `step()` closure; bench/pytorch/speed_worker.py times it.
"""
import math

import torch
from torch import nn
from torch.nn import functional as F


class ToyCritic(nn.Module):
    def __init__(self, inputs, width, leaky, minibatch_std):
        super().__init__()
        self.first = nn.Linear(inputs, width)
        self.activation = nn.LeakyReLU(0.2) if leaky else nn.ReLU()
        self.minibatch_std = minibatch_std
        self.last = nn.Linear(width + (1 if minibatch_std else 0), 1)

    def forward(self, x):
        h = self.activation(self.first(x))
        if self.minibatch_std:
            spread = (h.var(0, unbiased=False) + 1e-8).sqrt().mean()
            h = torch.cat([h, spread.expand(h.shape[0], 1)], 1)
        return self.last(h)


def toy_gan(name):
    one_d = name == "gan1d"
    latent, width, batch = (1, 64, 256) if one_d else (2, 128, 256)
    leaky_g = name in ("wgangp8g", "gan1d")
    wasserstein = name in ("wgan8g", "wgangp8g")
    critic_steps = 5 if wasserstein else 1
    penalty = 1.0 if name == "wgangp8g" else 0.0
    clip = 0.01 if name == "wgan8g" else 0.0
    r1 = 1.0 if one_d else 0.0
    generator = nn.Sequential(nn.Linear(latent, width), nn.LeakyReLU(0.2) if leaky_g else nn.ReLU(), nn.Linear(width, latent))
    critic = ToyCritic(latent, width, name == "wgangp8g", one_d)
    if name == "wgan8g":
        g_opt = torch.optim.RMSprop(generator.parameters(), lr=5e-4)
        d_opt = torch.optim.RMSprop(critic.parameters(), lr=5e-4)
    else:
        betas = (0.0, 0.9) if name == "wgangp8g" else (0.5, 0.999)
        g_opt = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=betas)
        d_opt = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=betas)
    averaged = None
    if one_d:
        averaged = nn.Sequential(nn.Linear(latent, width), nn.LeakyReLU(0.2), nn.Linear(width, latent))
        averaged.load_state_dict(generator.state_dict())
        averaged.requires_grad_(False)
    angles = torch.arange(8, dtype=torch.float32) * (2 * math.pi / 8)
    centers = torch.stack([2 * angles.cos(), 2 * angles.sin()], 1)

    def real():
        if one_d:
            return 3 + 0.5 * torch.randn(batch, 1)
        return centers[torch.randint(8, (batch,))] + 0.05 * torch.randn(batch, 2)

    def step():
        for _ in range(critic_steps):
            x = real()
            with torch.no_grad():
                fake = generator(torch.randn(batch, latent))
            real_scores, fake_scores = critic(x), critic(fake)
            if wasserstein:
                loss = fake_scores.mean() - real_scores.mean()
            else:
                loss = F.softplus(-real_scores).mean() + F.softplus(fake_scores).mean()
            if penalty:
                eps = torch.rand(batch, 1)
                mixed = (eps * x + (1 - eps) * fake).requires_grad_(True)
                grad, = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
                loss = loss + penalty * ((grad.square().sum(1) + 1e-12).sqrt() - 1).square().mean()
            if r1:
                x.requires_grad_(True)
                grad, = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
                loss = loss + r1 / 2 * grad.square().sum(1).mean()
            d_opt.zero_grad()
            loss.backward()
            d_opt.step()
            if clip:
                with torch.no_grad():
                    for p in critic.parameters():
                        p.clamp_(-clip, clip)
        scores = critic(generator(torch.randn(batch, latent)))
        g_loss = -scores.mean() if wasserstein else F.softplus(-scores).mean()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        if averaged is not None:
            with torch.no_grad():
                for target, source in zip(averaged.parameters(), generator.parameters()):
                    target.mul_(0.99).add_(source, alpha=0.01)

    return step


def toy_autoencoder(name):
    variational = name == "vae2d"
    if variational:
        encoder = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 4))
        decoder = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
        centers = torch.tensor([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
        data = centers.repeat_interleave(100, 0) + 0.3 * torch.randn(300, 2)
    else:
        encoder = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.01), nn.Linear(4, 1))
        decoder = nn.Sequential(nn.Linear(1, 4), nn.LeakyReLU(0.01), nn.Linear(4, 2))
        angle = torch.rand(200, 1) * 2 * math.pi
        data = torch.cat([angle.cos(), angle.sin()], 1) + 0.05 * torch.randn(200, 2)
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=0.01)

    def step():
        if variational:
            code = encoder(data)
            mu, log_var = code[:, :2], code[:, 2:]
            z = mu + (0.5 * log_var).exp() * torch.randn_like(mu)
            reconstruction = F.mse_loss(decoder(z), data, reduction="sum") / data.shape[0]
            kl = (-0.5 * (1 + log_var - mu.square() - log_var.exp()).sum(1)).mean()
            loss = reconstruction + kl
        else:
            loss = F.mse_loss(decoder(encoder(data)), data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def make(name):
    if name in ("gan8g", "wgan8g", "wgangp8g", "gan1d"):
        return toy_gan(name)
    if name in ("ae2d", "vae2d"):
        return toy_autoencoder(name)
    return None
