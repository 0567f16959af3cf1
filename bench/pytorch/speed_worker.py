"""Times the workloads of speed_toy.py and speed_images.py on request, for bench/Latent.Bench's `speed` command.

Reads one JSON request per line on stdin and answers one JSON line on stdout, so one Python process (torch
imported once) serves a whole benchmark run:
  {"cmd": "info"}                                      versions and the BLAS library loaded
  {"cmd": "sgemm", "threads": T, "n": 2048}            float32 matmul GFLOP/s through torch.mm
  {"cmd": "run", "workload": W, "threads": T, "warmup": N, "seconds": S, "min_steps": M, "seed": 0}
                                                       builds W, runs N warm-up steps, then steps until S seconds
                                                       and M steps have passed: {"steps": n, "seconds": s}
Run with Debian's Python: /usr/bin/python3 bench/pytorch/speed_worker.py --data ~/.cache/latent/data/mnist
The BLAS is whatever libblas.so.3 the loader finds: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread selects OpenBLAS.
"""
import argparse
import ctypes
import json
import os
import platform
import sys
import time

import numpy as np
import torch

import speed_images
import speed_toy


def blas_library():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(paths)


def set_threads(threads):
    torch.set_num_threads(threads)
    # OpenBLAS keeps its own pool; torch 1.13 built against the generic BLAS does not size it.
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            library = ctypes.CDLL(name)
            if hasattr(library, "openblas_set_num_threads"):
                library.openblas_set_num_threads(threads)
                return
        except OSError:
            pass


def sgemm(threads, n):
    set_threads(threads)
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        torch.mm(a, b)
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * n ** 3 / (time.perf_counter() - start) / 1e9)
    return {"gflops": float(np.median(rates))}


def run(request, data):
    torch.manual_seed(request.get("seed", 0))
    set_threads(request["threads"])
    name = request["workload"]
    step = speed_toy.make(name) or speed_images.make(name, data)
    if step is None:
        return {"error": f"unknown workload {name}"}
    for _ in range(request["warmup"]):
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= request["seconds"] and steps >= request["min_steps"]:
            return {"steps": steps, "seconds": elapsed}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.expanduser("~/.cache/latent/data/mnist"))
    args = parser.parse_args()
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "info":
            answer = {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
                      "blas": blas_library(), "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "")}
        elif request["cmd"] == "sgemm":
            answer = sgemm(request["threads"], request.get("n", 2048))
        elif request["cmd"] == "run":
            answer = run(request, args.data)
        else:
            answer = {"error": f"unknown command {request['cmd']}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
