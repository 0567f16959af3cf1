"""Writes the PyTorch side of Latent's safetensors tests: weights and outputs of nets that Latent builds the same way.

The fixtures in tests/Latent.Tests/Fixtures were regenerated with Debian's Python and python3-torch (1.13), from the
repository's root:

    /usr/bin/python3 bench/pytorch/make_safetensors_fixture.py tests/Latent.Tests/Fixtures

It writes three files:

- pytorch-gan8g-generator.safetensors: the generator of Latent's `gan8g` preset, an MLP 2-128-2 with ReLU after the
  hidden layer and no output activation (Latent's Mlp: Linear, activation, [BatchNorm1d], ... under `layers`, so the
  state-dict keys are layers.linear0.weight, layers.linear0.bias, layers.linear1.weight, layers.linear1.bias);
- pytorch-batchnorm-mlp.safetensors: an MLP 3-16-16-4 with LeakyReLU(0.2), BatchNorm1d after each hidden activation and
  tanh at the end (Latent: MlpSpec([3, 16, 16, 4], LeakyReLU, Tanh, BatchNorm: true)), trained for three batches so its
  running statistics and its int64 num_batches_tracked (3) are not the initial ones;
- pytorch-outputs.safetensors: for each net a fixed input batch (`<net>.input`) and PyTorch's output for it in
  evaluation mode (`<net>.output`), and a tensor of every dtype the format holds (`dtypes.<DTYPE>`) with known values.

There is no safetensors package for Debian's Python, so the files are laid out here by hand, as the reference writer
(safetensors.torch.save_file) lays them out: an 8-byte little-endian header length, compact JSON with __metadata__
first, padded with spaces to a multiple of 8 bytes, then the tensors sorted by element size (largest first) and name.
"""
import json
import struct
import sys
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

DTYPES = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def raw_bytes(tensor):
    """The tensor's elements in C order, little-endian (this machine's order, x86)."""
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the same 2 bytes
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def save_safetensors(path, tensors, metadata):
    ordered = sorted(tensors.items(), key=lambda item: (-item[1].element_size(), item[0]))
    header = OrderedDict()
    header["__metadata__"] = metadata
    buffer = bytearray()
    for name, tensor in ordered:
        data = raw_bytes(tensor)
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [len(buffer), len(buffer) + len(data)]}
        buffer += data
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + bytes(buffer))


class Mlp(nn.Module):
    """Latent's Mlp: per layer i, linear{i}, then activation{i} and (hidden layers) batchnorm{i}, inside `layers`."""

    def __init__(self, widths, hidden, output, batch_norm):
        super().__init__()
        layers = OrderedDict()
        for i in range(len(widths) - 1):
            is_hidden = i < len(widths) - 2
            layers[f"linear{i}"] = nn.Linear(widths[i], widths[i + 1])
            activation = hidden() if is_hidden else (output() if output else None)
            if activation is not None:
                layers[f"activation{i}"] = activation
            if is_hidden and batch_norm:
                layers[f"batchnorm{i}"] = nn.BatchNorm1d(widths[i + 1])
        self.layers = nn.Sequential(layers)

    def forward(self, x):
        return self.layers(x)


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/Latent.Tests/Fixtures")
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    metadata = {"format": "pt", "source": "bench/pytorch/make_safetensors_fixture.py", "torch": torch.__version__}
    outputs = {}

    generator = Mlp([2, 128, 2], nn.ReLU, None, batch_norm=False).eval()
    z = torch.randn(16, 2)
    with torch.no_grad():
        outputs["gan8g.input"] = z
        outputs["gan8g.output"] = generator(z)
    save_safetensors(folder / "pytorch-gan8g-generator.safetensors", generator.state_dict(), metadata)

    net = Mlp([3, 16, 16, 4], lambda: nn.LeakyReLU(0.2), nn.Tanh, batch_norm=True)
    with torch.no_grad():
        for module in net.modules():  # BatchNorm's affine parameters away from their initial ones and zeros
            if isinstance(module, nn.BatchNorm1d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
        net.train()
        for _ in range(3):  # three batches: running statistics move, num_batches_tracked becomes 3
            net(torch.randn(32, 3) * 2 + 1)
        net.eval()
        x = torch.randn(16, 3)
        outputs["batchnorm.input"] = x
        outputs["batchnorm.output"] = net(x)
    save_safetensors(folder / "pytorch-batchnorm-mlp.safetensors", net.state_dict(), metadata)

    values = torch.tensor([[0.0, -1.5, 3.25], [65504.0, 2.0 ** -14, -0.0]], dtype=torch.float64)
    for dtype, name in DTYPES.items():
        if dtype == torch.bool:
            outputs[f"dtypes.{name}"] = torch.tensor([[True, False, True], [False, False, True]])
        elif dtype.is_floating_point:
            outputs[f"dtypes.{name}"] = values.to(dtype)
        else:
            outputs[f"dtypes.{name}"] = torch.tensor([[0, 1, -2], [100, -128, 127]]).to(dtype) if dtype != torch.uint8 \
                else torch.tensor([[0, 1, 2], [100, 128, 255]], dtype=torch.uint8)
    save_safetensors(folder / "pytorch-outputs.safetensors", outputs, metadata)

    for file in sorted(folder.glob("pytorch-*.safetensors")):
        print(f"{file}: {file.stat().st_size} bytes")


if __name__ == "__main__":
    main()
