#!/usr/bin/env python3
"""Runs `digitpad-cli bench --json` and scripts/bench_pytorch.py alternately,
several rounds, and prints the medians, the ratios and one summary line.
Called by scripts/bench-vs-pytorch, which prepares PyTorch and OpenBLAS."""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NETS = ("lenet5", "ref")


def run_json(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--blas-dir", default="")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", type=int, default=917)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--calls", type=int, default=2000)
    a = ap.parse_args()

    torch_env = dict(os.environ)
    if a.blas_dir:
        torch_env["LD_LIBRARY_PATH"] = a.blas_dir + (":" + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")
    torch_env["OMP_NUM_THREADS"] = str(a.threads)
    common = ["--threads", str(a.threads), "--batches", str(a.batches), "--warmup", str(a.warmup),
              "--calls", str(a.calls)]
    results = {net: {"torch": [], "dp": []} for net in NETS}
    for r in range(a.rounds):
        for net in NETS:
            print(f"round {r + 1}/{a.rounds}: {net}: pytorch ...", file=sys.stderr, flush=True)
            results[net]["torch"].append(run_json(
                [sys.executable, os.path.join(HERE, "bench_pytorch.py"), "--net", net, "--data", a.data] + common,
                env=torch_env))
            print(f"round {r + 1}/{a.rounds}: {net}: digitpad ...", file=sys.stderr, flush=True)
            results[net]["dp"].append(run_json(
                [a.cli, "bench", "--preset", net, "--data", a.data, "--json"] + common))

    def med(net, side, key):
        return statistics.median(x[key] for x in results[net][side])

    t0 = results[NETS[0]]["torch"][0]
    d0 = results[NETS[0]]["dp"][0]
    print(f"cpu: {d0['cpu']}; threads: {a.threads}; rounds: {a.rounds} (medians shown, systems alternated)")
    print(f"pytorch {t0['torch']}, BLAS: {t0['blas']}")
    print(f"train: batch 64, SGD lr 0.01 momentum 0.9, softmax CE; img/s over {a.batches} batches after "
          f"{a.warmup} warm-up batches ({(a.batches + a.warmup) * 64:,} images of shuffled MNIST"
          f"{', one epoch' if a.batches + a.warmup == 937 else ''})")
    print(f"latency: batch 1, median of {a.calls} calls; infer: 10,000 test images "
          f"(PyTorch at batch 1000, DigitPad in chunks per thread)")
    print()
    hdr = "| net | metric | PyTorch eager | PyTorch jit | DigitPad | ratio (DigitPad better > 1) |"
    print(hdr)
    print("|---|---|---|---|---|---|")
    summary = {}
    for net in NETS:
        tt = med(net, "torch", "train_images_per_second")
        dt = med(net, "dp", "train_images_per_second")
        le, lj = med(net, "torch", "latency_us_median_eager"), med(net, "torch", "latency_us_median_jit")
        dl = med(net, "dp", "latency_us_median")
        dp99 = med(net, "dp", "latency_us_p99")
        ie, ij = med(net, "torch", "infer_images_per_second_eager"), med(net, "torch", "infer_images_per_second_jit")
        di = med(net, "dp", "infer_images_per_second")
        summary[f"train_ratio_{net}"] = dt / tt
        summary[f"latency_ratio_{net}"] = lj / dl
        summary[f"infer_ratio_{net}"] = di / ij
        print(f"| {net} | train img/s | {tt:,.0f} | - | {dt:,.0f} | {dt / tt:.2f} |")
        print(f"| {net} | batch-1 latency us (median) | {le:.1f} | {lj:.1f} | {dl:.1f} (p99 {dp99:.1f}) | {lj / dl:.2f} |")
        print(f"| {net} | test-set infer img/s | {ie:,.0f} | {ij:,.0f} | {di:,.0f} | {di / ij:.2f} |")
        ta, da = med(net, "torch", "test_accuracy"), med(net, "dp", "test_accuracy")
        tta, dta = med(net, "torch", "train_accuracy"), med(net, "dp", "train_accuracy")
        print(f"| {net} | accuracy after the epoch (test / train batches) | {100 * ta:.2f}% / {100 * tta:.2f}% | - | "
              f"{100 * da:.2f}% / {100 * dta:.2f}% | {'comparable' if abs(ta - da) < 0.02 else 'DIFFERENT'} |")
    print()
    print("summary " + " ".join(f"{k}={summary[k]:.2f}" for k in (
        "train_ratio_lenet5", "train_ratio_ref", "latency_ratio_lenet5", "latency_ratio_ref",
        "infer_ratio_lenet5", "infer_ratio_ref")))


if __name__ == "__main__":
    main()
