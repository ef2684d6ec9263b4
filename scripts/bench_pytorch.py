#!/usr/bin/env python3
"""PyTorch side of scripts/bench-vs-pytorch: one net, the measurements of
`digitpad-cli bench`, printed as one JSON object.

  train: SGD (lr 0.01, momentum 0.9), softmax cross-entropy, batch 64, shuffled
         MNIST training set; img/s over `--batches` steps after `--warmup` steps
         (by default 20 + 917 = 937 batches = one epoch of 59,968 images), then
         accuracy on the 10k test images.
  latency: batch 1, median and p99 over `--calls` calls, eager and jit
         (torch.jit.optimize_for_inference(torch.jit.script(model.eval()))).
  infer: img/s over the 10k test images at batch 1000, median of `--repeats`
         passes, eager and jit.
Data: the MNIST IDX files (raw or .gz) in --data, preloaded as float tensors in [0, 1].
"""
import argparse
import gzip
import json
import os
import statistics
import time

import torch
import torch.nn as nn


def read_idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                data = f.read()
            break
    else:
        raise SystemExit(f"missing {path} (run scripts/fetch-mnist)")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data), dtype=torch.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, prefix):
    x = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"))
    y = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte"))
    x = (x.to(torch.float32) / 255.0).reshape(-1, 1, 28, 28).contiguous()
    y = y.to(torch.int64)
    return x, y


def make(net):
    if net == "lenet5":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if net == "ref":
        return nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(1568, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    if net == "cnn":
        # DigitPad's default preset: conv 32 5 pad=2 | batchnorm | relu | maxpool 2 |
        # conv 64 5 pad=2 | batchnorm | relu | maxpool 2 | dense 128 | relu | dropout 0.4 | dense 10
        return nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.4), nn.Linear(128, 10))
    raise SystemExit(f"unknown net {net}")


def blas_library():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if ".so" in line}
    except OSError:
        return "?"
    for key in ("openblas", "mkl", "blis", "libblas"):
        for lib in sorted(libs):
            if key in os.path.basename(lib):
                return lib
    return "?"


def cpu_capability():
    """ATen's kernel level as torch reports it (ATEN_CPU_CAPABILITY restricts it)."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "?"


def blas_core(lib):
    """The kernel family OpenBLAS chose (OPENBLAS_CORETYPE forces it)."""
    try:
        import ctypes
        f = ctypes.CDLL(lib).openblas_get_corename
        f.restype = ctypes.c_char_p
        return f().decode()
    except (OSError, AttributeError):
        return "?"


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--net", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--batches", type=int, default=917)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    model = make(a.net)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    # Touch the BLAS so that /proc/self/maps names the library in use.
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    blas = blas_library()

    # --- training
    n = xtr.shape[0]
    perm = torch.randperm(n)
    total = a.warmup + a.batches
    model.train()
    correct = 0
    seen = 0
    t0 = time.perf_counter()
    for step in range(total):
        if step == a.warmup:
            t0 = time.perf_counter()
        lo = (step * a.batch) % (n - a.batch + 1)
        idx = perm[lo:lo + a.batch]
        xb, yb = xtr[idx], ytr[idx]
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = lossf(out, yb)
        loss.backward()
        opt.step()
        if step >= a.warmup:
            correct += int((out.argmax(1) == yb).sum())
            seen += a.batch
    train_rate = a.batches * a.batch / (time.perf_counter() - t0)
    train_acc = correct / max(1, seen)

    model.eval()
    with torch.no_grad():
        test_acc = float((model(xte).argmax(1) == yte).float().mean())
        jit = torch.jit.optimize_for_inference(torch.jit.script(model.eval()))

        def latency(m):
            x = xte[0:1].clone()
            for _ in range(min(200, a.calls)):
                m(x)
            us = []
            for i in range(a.calls):
                x = xte[i % xte.shape[0]:i % xte.shape[0] + 1]
                t = time.perf_counter()
                m(x)
                us.append((time.perf_counter() - t) * 1e6)
            return statistics.median(us), percentile(us, 0.99)

        def infer(m):
            for lo in range(0, 2000, 1000):
                m(xte[lo:lo + 1000])
            rates = []
            for _ in range(a.repeats):
                t = time.perf_counter()
                for lo in range(0, xte.shape[0], 1000):
                    m(xte[lo:lo + 1000]).argmax(1)
                rates.append(xte.shape[0] / (time.perf_counter() - t))
            return statistics.median(rates)

        lat_eager = latency(model)
        lat_jit = latency(jit)
        inf_eager = infer(model)
        inf_jit = infer(jit)

    print(json.dumps({
        "net": a.net, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas,
        "cpu_capability": cpu_capability(), "blas_core": blas_core(blas),
        "dnnl_max_cpu_isa": os.environ.get("DNNL_MAX_CPU_ISA", "(unset: the best the CPU has)"),
        "batch": a.batch, "warmup": a.warmup, "batches": a.batches,
        "train_images_per_second": train_rate, "train_accuracy": train_acc, "test_accuracy": test_acc,
        "latency_us_median_eager": lat_eager[0], "latency_us_p99_eager": lat_eager[1],
        "latency_us_median_jit": lat_jit[0], "latency_us_p99_jit": lat_jit[1],
        "infer_images_per_second_eager": inf_eager, "infer_images_per_second_jit": inf_jit,
    }))


if __name__ == "__main__":
    main()
