"""The image workloads of WORKLOADS.md as plain PyTorch training steps, for the speed comparison.

mnist-gan-mlp, mnist-dcgan (MNIST padded to 32), dcgan64 (random 3x64x64 images, batch 16) and mnist-vae-mlp,
as Latent's presets of the same names. MNIST is read from the IDX files in --data (as `latent data fetch mnist`
installs them). Each `make(name, data)` returns a `step()` closure; bench/pytorch/speed_worker.py times it.
"""
import os

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def mnist_train_images(folder):
    raw = np.fromfile(os.path.join(folder, "train-images-idx3-ubyte"), dtype=np.uint8)
    if raw.size != 16 + 60000 * 784:
        raise SystemExit(f"{folder}/train-images-idx3-ubyte: {raw.size} bytes, expected {16 + 60000 * 784}")
    return torch.from_numpy(raw[16:].reshape(60000, 1, 28, 28).astype(np.float32) / 255)


class Shuffled:
    def __init__(self, count, batch):
        self.count, self.batch, self.order, self.at = count, batch, None, 0

    def next(self):
        if self.order is None or self.at + self.batch > self.count:
            self.order, self.at = torch.randperm(self.count), 0
        indices = self.order[self.at:self.at + self.batch]
        self.at += self.batch
        return indices


def mlp_gan(data):
    images = mnist_train_images(data).flatten(1) * 2 - 1
    batches = Shuffled(images.shape[0], 64)
    generator = nn.Sequential(
        nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.BatchNorm1d(256),
        nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.BatchNorm1d(512),
        nn.Linear(512, 784), nn.Tanh())
    discriminator = nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(256, 1))
    g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step():
        real = images[batches.next()]
        with torch.no_grad():
            fake = generator(torch.randn(64, 100))
        real_scores, fake_scores = discriminator(real), discriminator(fake)
        loss = (0.9 * F.softplus(-real_scores) + 0.1 * F.softplus(real_scores)).mean() + F.softplus(fake_scores).mean()
        d_opt.zero_grad()
        loss.backward()
        d_opt.step()
        g_loss = F.softplus(-discriminator(generator(torch.randn(64, 100)))).mean()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()

    return step


def dcgan(name, data):
    mnist = name == "mnist-dcgan"
    batch, channels = (64, 1) if mnist else (16, 3)
    images = (F.pad(mnist_train_images(data), (2, 2, 2, 2)) if mnist else torch.rand(1024, 3, 64, 64)) * 2 - 1
    batches = Shuffled(images.shape[0], batch)
    widths = [64, 128, 256] if mnist else [64, 128, 256, 512]
    g = [nn.ConvTranspose2d(100, widths[-1], 4, 1, 0, bias=False), nn.BatchNorm2d(widths[-1]), nn.ReLU()]
    for i in range(len(widths) - 1, 0, -1):
        g += [nn.ConvTranspose2d(widths[i], widths[i - 1], 4, 2, 1, bias=False), nn.BatchNorm2d(widths[i - 1]), nn.ReLU()]
    g += [nn.ConvTranspose2d(widths[0], channels, 4, 2, 1, bias=False), nn.Tanh()]
    d = [nn.Conv2d(channels, widths[0], 4, 2, 1, bias=False), nn.LeakyReLU(0.2)]
    for i in range(1, len(widths)):
        d += [nn.Conv2d(widths[i - 1], widths[i], 4, 2, 1, bias=False), nn.BatchNorm2d(widths[i]), nn.LeakyReLU(0.2)]
    d += [nn.Conv2d(widths[-1], 1, 4, 1, 0, bias=False)]
    generator, discriminator = nn.Sequential(*g), nn.Sequential(*d)
    for module in list(generator.modules()) + list(discriminator.modules()):
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(module.weight, 0, 0.02)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.normal_(module.weight, 1, 0.02)
            nn.init.zeros_(module.bias)
    g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step():
        real = images[batches.next()]
        with torch.no_grad():
            fake = generator(torch.randn(batch, 100, 1, 1))
        loss = F.softplus(-discriminator(real)).mean() + F.softplus(discriminator(fake)).mean()
        d_opt.zero_grad()
        loss.backward()
        d_opt.step()
        g_loss = F.softplus(-discriminator(generator(torch.randn(batch, 100, 1, 1)))).mean()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()

    return step


def mnist_vae(data):
    images = mnist_train_images(data).flatten(1)
    batches = Shuffled(images.shape[0], 128)
    encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 40))
    decoder = nn.Sequential(nn.Linear(20, 400), nn.ReLU(), nn.Linear(400, 784), nn.Sigmoid())
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3)

    def step():
        x = images[batches.next()]
        code = encoder(x)
        mu, log_var = code[:, :20], code[:, 20:]
        z = mu + (0.5 * log_var).exp() * torch.randn_like(mu)
        reconstruction = F.binary_cross_entropy(decoder(z), x, reduction="sum") / 128
        kl = (-0.5 * (1 + log_var - mu.square() - log_var.exp()).sum(1)).mean()
        loss = reconstruction + kl
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def make(name, data):
    if name == "mnist-gan-mlp":
        return mlp_gan(data)
    if name in ("mnist-dcgan", "dcgan64"):
        return dcgan(name, data)
    if name == "mnist-vae-mlp":
        return mnist_vae(data)
    return None
