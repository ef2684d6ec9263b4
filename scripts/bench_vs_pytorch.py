#!/usr/bin/env python3
"""Runs `digitpad-cli bench --json` and scripts/bench_pytorch.py alternately,
several rounds, at one or more CPU levels, and prints the medians, the ratios
and one summary line per level. Called by scripts/bench-vs-pytorch, which
prepares PyTorch and OpenBLAS."""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NETS = ("lenet5", "ref", "cnn")
LEVELS = ("baseline", "avx2", "avx512")
# What each level means for each side: DigitPad's engine build (DIGITPAD_ISA),
# ATen's kernels, oneDNN's (Debian's torch runs its convolutions through
# oneDNN, which picks its ISA by itself) and OpenBLAS's kernel family.
TORCH_SETTINGS = {
    "baseline": {"ATEN_CPU_CAPABILITY": "default", "DNNL_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Nehalem"},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "DNNL_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "avx512": {"ATEN_CPU_CAPABILITY": "avx512", "DNNL_MAX_CPU_ISA": "AVX512_CORE", "OPENBLAS_CORETYPE": "SkylakeX"},
}


def run_json(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def cpu_levels(cli):
    """The levels this CPU supports, from DigitPad's own report."""
    p = subprocess.run([cli, "info"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in p.stdout.splitlines():
        if line.startswith("engine:") and "the CPU supports " in line:
            best = line.split("the CPU supports ", 1)[1].split()[0].rstrip(";,()")
            if best in LEVELS:
                return list(LEVELS[:LEVELS.index(best) + 1])
    raise SystemExit(f"could not read the CPU's level from `{cli} info`:\n{p.stdout}{p.stderr}")


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
    ap.add_argument("--repeats", type=int, default=3, help="passes over the test set for the inference rate")
    ap.add_argument("--isa", default="best", help="baseline, avx2, avx512, all, or best (the CPU's best level)")
    ap.add_argument("--nets", default=",".join(NETS))
    a = ap.parse_args()

    supported = cpu_levels(a.cli)
    if a.isa == "all":
        levels = supported
    elif a.isa == "best":
        levels = [supported[-1]]
    elif a.isa in LEVELS:
        if a.isa not in supported:
            raise SystemExit(f"--isa {a.isa}: this CPU supports only up to {supported[-1]}")
        levels = [a.isa]
    else:
        raise SystemExit(f"--isa {a.isa}: expected one of {', '.join(LEVELS)}, all or best")
    nets = [n for n in a.nets.split(",") if n]
    for n in nets:
        if n not in NETS:
            raise SystemExit(f"--nets: unknown net {n} (known: {', '.join(NETS)})")

    base_env = dict(os.environ)
    # Whatever the machine sets for OpenBLAS is replaced by the level's choice.
    base_env.pop("OPENBLAS_L2_SIZE", None)
    if a.blas_dir:
        base_env["LD_LIBRARY_PATH"] = a.blas_dir + (":" + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")
    base_env["OMP_NUM_THREADS"] = str(a.threads)
    common = ["--threads", str(a.threads), "--batches", str(a.batches), "--warmup", str(a.warmup),
              "--calls", str(a.calls), "--repeats", str(a.repeats)]
    results = {(lv, net): {"torch": [], "dp": []} for lv in levels for net in nets}
    # Rounds outermost, then levels, then nets: every level sees the machine's
    # load of every part of the run, and the two systems alternate.
    for r in range(a.rounds):
        for lv in levels:
            torch_env = dict(base_env, **TORCH_SETTINGS[lv])
            dp_env = dict(os.environ, DIGITPAD_ISA=lv, DIGITPAD_ISA_STRICT="1")
            for net in nets:
                print(f"round {r + 1}/{a.rounds}: {lv}: {net}: pytorch ...", file=sys.stderr, flush=True)
                results[(lv, net)]["torch"].append(run_json(
                    [sys.executable, os.path.join(HERE, "bench_pytorch.py"), "--net", net, "--data", a.data] + common,
                    env=torch_env))
                print(f"round {r + 1}/{a.rounds}: {lv}: {net}: digitpad ...", file=sys.stderr, flush=True)
                results[(lv, net)]["dp"].append(run_json(
                    [a.cli, "bench", "--preset", net, "--data", a.data, "--json"] + common, env=dp_env))

    def med(lv, net, side, key):
        return statistics.median(x[key] for x in results[(lv, net)][side])

    d0 = results[(levels[0], nets[0])]["dp"][0]
    print(f"cpu: {d0['cpu']}; threads: {a.threads}; rounds: {a.rounds} (medians shown, systems and levels alternated)")
    print(f"train: batch 64, SGD lr 0.01 momentum 0.9, softmax CE; img/s over {a.batches} batches after "
          f"{a.warmup} warm-up batches ({(a.batches + a.warmup) * 64:,} images of shuffled MNIST"
          f"{', one epoch' if a.batches + a.warmup == 937 else ''})")
    print(f"latency: batch 1, median of {a.calls} calls; infer: 10,000 test images "
          f"(PyTorch at batch 1000, DigitPad in chunks per thread); PyTorch inference with jit")
    summaries = []
    for lv in levels:
        t0 = results[(lv, nets[0])]["torch"][0]
        dp0 = results[(lv, nets[0])]["dp"][0]
        s = TORCH_SETTINGS[lv]
        print()
        print(f"== level {lv}")
        print(f"digitpad: DIGITPAD_ISA={lv}: engine {dp0.get('isa_summary', dp0.get('isa', '?'))}")
        print(f"pytorch {t0['torch']}: ATEN_CPU_CAPABILITY={s['ATEN_CPU_CAPABILITY']} (torch says: "
              f"{t0.get('cpu_capability', '?')}), DNNL_MAX_CPU_ISA={s['DNNL_MAX_CPU_ISA']}, "
              f"OPENBLAS_CORETYPE={s['OPENBLAS_CORETYPE']} (OpenBLAS says: {t0.get('blas_core', '?')}); "
              f"BLAS: {t0['blas']}")
        print()
        print("| net | metric | PyTorch eager | PyTorch jit | DigitPad | ratio (DigitPad better > 1) |")
        print("|---|---|---|---|---|---|")
        summary = {}
        for net in nets:
            tt = med(lv, net, "torch", "train_images_per_second")
            dt = med(lv, net, "dp", "train_images_per_second")
            le, lj = med(lv, net, "torch", "latency_us_median_eager"), med(lv, net, "torch", "latency_us_median_jit")
            dl = med(lv, net, "dp", "latency_us_median")
            dp99 = med(lv, net, "dp", "latency_us_p99")
            ie, ij = (med(lv, net, "torch", "infer_images_per_second_eager"),
                      med(lv, net, "torch", "infer_images_per_second_jit"))
            di = med(lv, net, "dp", "infer_images_per_second")
            summary[f"train_ratio_{net}"] = dt / tt
            summary[f"latency_ratio_{net}"] = lj / dl
            summary[f"infer_ratio_{net}"] = di / ij
            print(f"| {net} | train img/s | {tt:,.0f} | - | {dt:,.0f} | {dt / tt:.2f} |")
            print(f"| {net} | batch-1 latency us (median) | {le:.1f} | {lj:.1f} | {dl:.1f} (p99 {dp99:.1f}) | "
                  f"{lj / dl:.2f} |")
            print(f"| {net} | test-set infer img/s | {ie:,.0f} | {ij:,.0f} | {di:,.0f} | {di / ij:.2f} |")
            ta, da = med(lv, net, "torch", "test_accuracy"), med(lv, net, "dp", "test_accuracy")
            tta, dta = med(lv, net, "torch", "train_accuracy"), med(lv, net, "dp", "train_accuracy")
            print(f"| {net} | accuracy after the epoch (test / train batches) | {100 * ta:.2f}% / {100 * tta:.2f}% | "
                  f"- | {100 * da:.2f}% / {100 * dta:.2f}% | {'comparable' if abs(ta - da) < 0.02 else 'DIFFERENT'} |")
        keys = [f"{m}_ratio_{net}" for m in ("train", "latency", "infer") for net in nets]
        summaries.append(f"summary isa={lv} " + " ".join(f"{k}={summary[k]:.2f}" for k in keys))
    print()
    for line in summaries:
        print(line)


if __name__ == "__main__":
    main()
