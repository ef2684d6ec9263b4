// The PyTorch project of `digitpad-cli export --torch`: see torch_project.h.
#include "torch_project.h"

#include "errors.h"
#include "fileio.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/maxpool2d.h"
#include "serialize.h"
#include "session.h"
#include "shell.h"
#include "uitext.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nn {

namespace {

std::string num(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

std::string pyString(const std::string& s)
{
    std::string out = "\"";
    for (const char c : s) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

// nn.Sequential entries for the spec, with the initialisation of each.
struct PyModel {
    std::vector<std::string> modules;
    std::vector<std::string> init;  // per module: "he", "xavier" or "" (no weights)
};

PyModel pyModel(const std::string& spec)
{
    PyModel m;
    std::vector<std::unique_ptr<Layer>> layers = parseSpec(spec);
    Shape3 shape = kDigitInput;
    bool flat = false;  // N x features, after a dense layer or a flatten
    const auto add = [&](const std::string& module, const std::string& init = {}) {
        m.modules.push_back(module);
        m.init.push_back(init);
    };
    for (auto& l : layers) {
        const Shape3 in = shape;
        shape = l->setup(shape);
        const std::string kind = l->kind();
        if (kind == "conv" || kind == "maxpool") {
            if (flat) {
                add("nn.Unflatten(1, (" + std::to_string(in.c) + ", 1, 1))");
                flat = false;
            }
        }
        if (const auto* c = dynamic_cast<const Conv2D*>(l.get())) {
            add("nn.Conv2d(" + std::to_string(in.c) + ", " + std::to_string(c->filters()) + ", " +
                    std::to_string(c->kernel()) + ", stride=" + std::to_string(c->stride()) +
                    ", padding=" + std::to_string(c->pad()) + ")",
                c->init() == Init::Xavier ? "xavier" : "he");
        } else if (const auto* p = dynamic_cast<const MaxPool2D*>(l.get())) {
            add("nn.MaxPool2d(" + std::to_string(p->window()) + ", stride=" + std::to_string(p->poolStride()) + ")");
        } else if (const auto* d = dynamic_cast<const Dense*>(l.get())) {
            if (!flat) {
                add("nn.Flatten()");
                flat = true;
            }
            add("nn.Linear(" + std::to_string(in.size()) + ", " + std::to_string(d->units()) + ")",
                l->spec().find("init=xavier") != std::string::npos ? "xavier" : "he");
        } else if (kind == "batchnorm") {
            add(flat ? "nn.BatchNorm1d(" + std::to_string(in.c) + ", eps=1e-5, momentum=0.1)"
                     : "nn.BatchNorm2d(" + std::to_string(in.c) + ", eps=1e-5, momentum=0.1)");
        } else if (kind == "relu") {
            add("nn.ReLU()");
        } else if (kind == "sigmoid") {
            add("nn.Sigmoid()");
        } else if (kind == "tanh") {
            add("nn.Tanh()");
        } else if (const auto* dr = dynamic_cast<const Dropout*>(l.get())) {
            add("nn.Dropout(" + num(dr->rate()) + ")");
        } else if (kind == "flatten") {
            if (!flat)
                add("nn.Flatten()");
            flat = true;
        } else {
            throw SpecError("layer '" + l->spec() + "' has no PyTorch form");
        }
    }
    if (!flat)
        add("nn.Flatten()");
    return m;
}

std::string configJson(const TorchProjectRequest& r)
{
    const TrainConfig& c = r.config;
    const AugmentParams& a = c.augment;
    std::ostringstream j;
    j << "{\n"
      << "    \"spec\": " << pyString(r.spec) << ",\n"
      << "    \"epochs\": " << c.epochs << ",\n"
      << "    \"batch\": " << c.batchSize << ",\n"
      << "    \"lr\": " << num(c.learningRate) << ",\n"
      << "    \"optimizer\": " << pyString(OptimizerConfig::kindName(c.optimizer.kind)) << ",\n"
      << "    \"momentum\": " << num(c.optimizer.momentum) << ",\n"
      << "    \"nesterov\": " << (c.optimizer.nesterov ? "true" : "false") << ",\n"
      << "    \"rho\": " << num(c.optimizer.rho) << ",\n"
      << "    \"betas\": [" << num(c.optimizer.beta1) << ", " << num(c.optimizer.beta2) << "],\n"
      << "    \"eps\": " << num(c.optimizer.eps) << ",\n"
      << "    \"weight_decay\": " << num(c.optimizer.weightDecay) << ",\n"
      << "    \"l1\": " << num(c.optimizer.l1) << ",\n"
      << "    \"schedule\": " << pyString(ScheduleConfig::kindName(c.schedule.kind)) << ",\n"
      << "    \"step_epochs\": " << c.schedule.stepEpochs << ",\n"
      << "    \"gamma\": " << num(c.schedule.gamma) << ",\n"
      << "    \"min_lr\": " << num(c.schedule.minLr) << ",\n"
      << "    \"plateau_patience\": " << c.schedule.patience << ",\n"
      << "    \"plateau_factor\": " << num(c.schedule.factor) << ",\n"
      << "    \"warmup_batches\": " << c.schedule.warmupBatches << ",\n"
      << "    \"loss\": " << (c.loss == LossKind::MSE ? "\"mse\"" : "\"ce\"") << ",\n"
      << "    \"limit\": " << r.mnistLimit << ",\n"
      << "    \"val\": " << num(r.validationFraction) << ",\n"
      << "    \"patience\": " << r.earlyStopPatience << ",\n"
      << "    \"seed\": " << c.seed << ",\n"
      << "    \"augment\": {\n"
      << "        \"enabled\": " << (a.enabled ? "true" : "false") << ",\n"
      << "        \"text\": " << pyString(a.enabled ? a.toString() : "none") << ",\n"
      << "        \"rotation_deg\": " << num(a.rotationDeg) << ",\n"
      << "        \"scale\": [" << num(a.scaleMin) << ", " << num(a.scaleMax) << "],\n"
      << "        \"shift_px\": " << num(a.shiftPx) << ",\n"
      << "        \"shear_deg\": " << num(a.shearDeg) << ",\n"
      << "        \"elastic_alpha\": " << num(a.elasticAlpha) << ",\n"
      << "        \"elastic_sigma\": " << num(a.elasticSigma) << ",\n"
      << "        \"thickness\": [" << num(a.thicknessMin) << ", " << num(a.thicknessMax) << "],\n"
      << "        \"contrast\": [" << num(a.contrastMin) << ", " << num(a.contrastMax) << "],\n"
      << "        \"noise_std\": " << num(a.noiseStd) << "\n"
      << "    }\n"
      << "}";
    return j.str();
}

// The fixed part of train.py; "@CONFIG@", "@MODULES@" and "@INIT@" are filled in.
const char* const kTrainPy = R"PY(#!/usr/bin/env python3
"""Train a DigitPad architecture with PyTorch, on one machine or many.

Generated by DigitPad (digitpad-cli export --torch); README.md explains it.

    torchrun --standalone --nproc_per_node 2 train.py --data ~/.local/share/DigitPad/mnist
    torchrun --nnodes 4 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29400 \
        train.py --data /shared/mnist --out run

Ends by writing OUT/model.onnx (open it in DigitPad: File > Open Model).
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

CONFIG = json.loads(r"""@CONFIG@""")


def build_model():
    """The architecture "@SPEC@", in DigitPad's NCHW layout."""
    return nn.Sequential(
@MODULES@
    )


# Per module of build_model(): DigitPad's initialisation of its weights.
INIT = @INIT@


def init_weights(model):
    """He et al. 2015 (normal, std sqrt(2 / fan_in)) or Glorot & Bengio 2010
    (uniform, limit sqrt(6 / (fan_in + fan_out))), biases 0, as DigitPad."""
    for module, kind in zip(model, INIT):
        if not kind:
            continue
        w = module.weight
        fan_in = w[0].numel()
        fan_out = w.shape[0] * (w[0][0].numel() if w.dim() == 4 else 1)
        with torch.no_grad():
            if kind == "he":
                w.normal_(0.0, math.sqrt(2.0 / fan_in))
            else:
                a = math.sqrt(6.0 / (fan_in + fan_out))
                w.uniform_(-a, a)
            module.bias.zero_()


# ---- MNIST (IDX files, raw or .gz) -------------------------------------------

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if body.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: {body.size} bytes of data, its header says {int(np.prod(dims))}")
    return body.reshape(dims)


def find_file(folder, base):
    for name in (base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    raise SystemExit(f"{folder}: no {base} (or {base}.gz); run DigitPad's scripts/fetch-mnist or pass --data")


def load_split(folder, prefix):
    images = read_idx(find_file(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find_file(folder, f"{prefix}-labels-idx1-ubyte"))
    if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
        raise SystemExit(f"{folder}: {prefix} images and labels do not match (or are not 28x28)")
    # DigitPad's input: ink in [0, 1], no mean/std normalisation.
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


# ---- augmentation: DigitPad's (nn/augment.cpp), batched ----------------------

def _uniform(lo, hi, n, gen):
    return lo + (hi - lo) * torch.rand(n, generator=gen)


def _filter3x3(x, dilate):
    # 3x3 grey dilation (max) or erosion (min) over the pixels inside the image.
    return F.max_pool2d(x, 3, 1, 1) if dilate else -F.max_pool2d(-x, 3, 1, 1)


def augment(x, gen):
    """Scale, horizontal shear, rotation about the centre, shift (bilinear,
    background outside), elastic distortion (Simard et al. 2003), stroke
    thickness, contrast and noise, with DigitPad's parameters and
    distributions. The random numbers are PyTorch's, not DigitPad's."""
    a = CONFIG["augment"]
    if not a["enabled"]:
        return x
    n, _, h, w = x.shape
    rot = _uniform(-a["rotation_deg"], a["rotation_deg"], n, gen) * (math.pi / 180)
    scale = _uniform(a["scale"][0], a["scale"][1], n, gen)
    shear = _uniform(-a["shear_deg"], a["shear_deg"], n, gen) * (math.pi / 180)
    sx = _uniform(-a["shift_px"], a["shift_px"], n, gen)
    sy = _uniform(-a["shift_px"], a["shift_px"], n, gen)
    thick = _uniform(a["thickness"][0], a["thickness"][1], n, gen)
    contrast = _uniform(a["contrast"][0], a["contrast"][1], n, gen)
    cs, sn, tn, inv = torch.cos(rot), torch.sin(rot), torch.tan(shear), 1.0 / scale
    # Output -> input: p = c + (1/s) H^-1 R^-1 (p' - c - t), in the normalised
    # coordinates of affine_grid (align_corners=False: pixel centres, as DigitPad).
    m00, m01 = inv * (cs + tn * sn), inv * (sn - tn * cs)
    m10, m11 = -inv * sn, inv * cs
    tx, ty = 2.0 * sx / w, 2.0 * sy / h
    theta = torch.stack([torch.stack([m00, m01 * h / w, -(m00 * tx + m01 * ty * h / w)], 1),
                         torch.stack([m10 * w / h, m11, -(m10 * tx * w / h + m11 * ty)], 1)], 1).to(x)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    if a["elastic_alpha"] > 0:
        sigma = a["elastic_sigma"]
        r = max(1, math.ceil(3 * sigma))
        k = torch.exp(-0.5 * torch.arange(-r, r + 1, dtype=torch.float32) ** 2 / sigma ** 2)
        k = (k / k.sum()).to(x)
        d = (torch.rand(n, 2, h, w, generator=gen) * 2 - 1).to(x)
        d = F.conv2d(d.reshape(2 * n, 1, h, w), k.view(1, 1, 1, -1), padding=(0, r))
        d = F.conv2d(d, k.view(1, 1, -1, 1), padding=(r, 0)).reshape(n, 2, h, w) * a["elastic_alpha"]
        # DigitPad displaces after the affine warp; composing the two into one
        # sampling is the difference here (one interpolation instead of two).
        base = grid
        grid = base + torch.stack([d[:, 0] * 2.0 / w, d[:, 1] * 2.0 / h], -1)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    t = thick.to(x).view(n, 1, 1, 1)
    amount = t.abs()
    steps = amount.floor()
    frac = amount - steps
    for s in range(int(steps.max().item()) if n else 0):
        y = torch.where(t > 0, _filter3x3(x, True), _filter3x3(x, False))
        x = torch.where(steps > s, y, x)
    y = torch.where(t > 0, _filter3x3(x, True), _filter3x3(x, False))
    x = x + frac * (y - x)
    x = x * contrast.to(x).view(n, 1, 1, 1)
    if a["noise_std"] > 0:
        x = x + a["noise_std"] * torch.randn(x.shape, generator=gen).to(x)
    return x.clamp(0.0, 1.0)


# ---- learning rate: DigitPad's schedules (nn/optim.cpp) -----------------------

def learning_rate(epoch, step, plateau_scale):
    """epoch is fractional (2.5 = half-way through the third epoch)."""
    base, kind = CONFIG["lr"], CONFIG["schedule"]
    lr = base
    if kind == "step":
        lr = base * CONFIG["gamma"] ** (int(epoch) // max(1, CONFIG["step_epochs"]))
    elif kind == "cosine":
        t = min(1.0, epoch / CONFIG["epochs"])
        lr = CONFIG["min_lr"] + (base - CONFIG["min_lr"]) * 0.5 * (1.0 + math.cos(math.pi * t))
    elif kind == "plateau":
        lr = base * plateau_scale
    warm = CONFIG["warmup_batches"]
    if warm > 0 and step < warm:
        lr *= (step + 1) / warm
    return lr


def make_optimizer(model):
    # Weight decay on the conv and dense weights only, as DigitPad.
    decay = [m.weight for m, kind in zip(model, INIT) if kind]
    ids = {id(p) for p in decay}
    rest = [p for p in model.parameters() if id(p) not in ids]
    groups = [{"params": decay, "weight_decay": CONFIG["weight_decay"]}, {"params": rest, "weight_decay": 0.0}]
    kind = CONFIG["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=CONFIG["lr"], momentum=CONFIG["momentum"], nesterov=CONFIG["nesterov"])
    if kind == "adamw":
        return torch.optim.AdamW(groups, lr=CONFIG["lr"], betas=tuple(CONFIG["betas"]), eps=CONFIG["eps"])
    if kind == "rmsprop":
        # Tieleman & Hinton 2012; PyTorch's alpha is DigitPad's rho, its
        # momentum buffer takes g / (sqrt(v) + eps) as DigitPad's does.
        return torch.optim.RMSprop(groups, lr=CONFIG["lr"], alpha=CONFIG["rho"], eps=CONFIG["eps"],
                                   momentum=CONFIG["momentum"])
    if kind != "adam":
        raise SystemExit(f"unknown optimizer {kind!r} in CONFIG")
    return torch.optim.Adam(groups, lr=CONFIG["lr"], betas=tuple(CONFIG["betas"]), eps=CONFIG["eps"])


def add_l1(model):
    """DigitPad's L1: l1 * sign(w) joins the gradient of the conv and dense
    weights (0 at w = 0), before the optimizer's own weight decay."""
    if CONFIG["l1"] <= 0:
        return
    with torch.no_grad():
        for m, kind in zip(model, INIT):
            if kind and m.weight.grad is not None:
                m.weight.grad.add_(torch.sign(m.weight), alpha=CONFIG["l1"])


def loss_of(logits, labels):
    if CONFIG["loss"] == "mse":
        # DigitPad's MSE: 0.5 * sum_k (y_k - onehot_k)^2 on the outputs, mean over the batch.
        target = F.one_hot(labels, logits.shape[1]).to(logits)
        return 0.5 * ((logits - target) ** 2).sum(1).mean()
    return F.cross_entropy(logits, labels)


def evaluate(model, x, y, device, batch=1000):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            z = model(x[i:i + batch].to(device))
            t = y[i:i + batch].to(device)
            loss += loss_of(z, t).item() * t.shape[0]
            correct += (z.argmax(1) == t).sum().item()
    model.train()
    n = max(1, x.shape[0])
    return loss / n, correct / n


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.expanduser("~/.local/share/DigitPad/mnist"), help="MNIST IDX folder")
    p.add_argument("--out", default="run", help="checkpoints, model.onnx, metrics.json (default: run)")
    p.add_argument("--epochs", type=int, default=CONFIG["epochs"])
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many optimizer steps (0: no limit)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    p.add_argument("--dump-logits", type=int, default=1000,
                   help="write the logits of the first N test images to OUT/test_logits.f32 (default 1000)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads per process (default: PyTorch's choice)")
    args = p.parse_args()
    CONFIG["epochs"] = args.epochs

    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    lead = rank == 0
    os.makedirs(args.out, exist_ok=True)

    seed = CONFIG["seed"]
    torch.manual_seed(seed)  # the same initial weights on every process
    model = build_model()
    init_weights(model)
    if cuda and distributed:
        # Statistics over the whole batch, across processes, as DigitPad's
        # threads share them (SyncBatchNorm needs GPUs; on CPU each process
        # normalises over its share of the batch).
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    model.to(device)
    net = DistributedDataParallel(model, device_ids=[local] if cuda else None) if distributed else model

    x, y = load_split(args.data, "train")
    xt, yt = load_split(args.data, "t10k")
    if CONFIG["limit"] > 0:
        x, y = x[:CONFIG["limit"]], y[:CONFIG["limit"]]  # the first N, as DigitPad's --limit
    perm = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(seed))
    nval = int(round(x.shape[0] * CONFIG["val"]))
    xv, yv = x[perm[:nval]], y[perm[:nval]]
    x, y = x[perm[nval:]], y[perm[nval:]]
    train = TensorDataset(x, y)
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=seed) if distributed else None
    # --batch is the global batch, as in DigitPad: each process takes its share.
    local_batch = max(1, CONFIG["batch"] // world)
    loader = DataLoader(train, batch_size=local_batch, sampler=sampler, shuffle=sampler is None,
                        generator=None if sampler else torch.Generator().manual_seed(seed), drop_last=False)
    optimizer = make_optimizer(model)

    start_epoch, step, plateau_scale, plateau_best, plateau_bad = 0, 0, 1.0, float("inf"), 0
    best_val, best_state, since_best = float("inf"), None, 0
    ckpt_path = os.path.join(args.out, "checkpoint.pt")
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        optimizer.load_state_dict(ck["optimizer"])
        start_epoch, step = ck["epoch"], ck["step"]
        plateau_scale, plateau_best, plateau_bad = ck["plateau"]
        if lead:
            print(f"resumed {ckpt_path} at epoch {start_epoch + 1}", flush=True)
    if lead:
        print(f"model: {CONFIG['spec']} ({sum(p.numel() for p in model.parameters()):,} parameters)")
        print(f"data: {x.shape[0]:,} training, {nval:,} validation, {xt.shape[0]:,} test images; "
              f"{world} process(es), {local_batch} images each per step, {device}", flush=True)

    began = time.time()
    stop = False
    for epoch in range(start_epoch, CONFIG["epochs"]):
        if sampler:
            sampler.set_epoch(epoch)
        gen = torch.Generator().manual_seed(seed * 1000003 + epoch * 4099 + rank)
        batches = len(loader)
        total, seen = 0.0, 0
        for b, (xb, yb) in enumerate(loader):
            lr = learning_rate(epoch + b / batches, step, plateau_scale)
            for g in optimizer.param_groups:
                g["lr"] = lr
            xb = augment(xb, gen).to(device)
            yb = yb.to(device)
            loss = loss_of(net(xb), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            add_l1(model)
            optimizer.step()
            step += 1
            total += loss.item() * yb.shape[0]
            seen += yb.shape[0]
            if lead and step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}: loss {total / seen:.4f}, lr {lr:.3g}", flush=True)
            if args.max_steps and step >= args.max_steps:
                stop = True
                break
        val_loss, val_acc = evaluate(model, xv, yv, device) if nval else (total / max(1, seen), float("nan"))
        if CONFIG["schedule"] == "plateau":
            if val_loss < plateau_best * (1 - 1e-4):
                plateau_best, plateau_bad = val_loss, 0
            else:
                plateau_bad += 1
                if plateau_bad > CONFIG["plateau_patience"]:
                    plateau_scale *= CONFIG["plateau_factor"]
                    plateau_bad = 0
        if lead:
            print(f"epoch {epoch + 1}/{CONFIG['epochs']}: train loss {total / max(1, seen):.4f}, "
                  f"val loss {val_loss:.4f}, val acc {val_acc * 100:.2f}% ({time.time() - began:.0f} s)", flush=True)
            save_atomic({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1,
                         "step": step, "plateau": (plateau_scale, plateau_best, plateau_bad), "config": CONFIG},
                        ckpt_path)
        if CONFIG["patience"] > 0 and nval:
            if val_loss < best_val:
                best_val, since_best = val_loss, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                since_best += 1
                if since_best >= CONFIG["patience"]:
                    if lead:
                        print(f"early stop: {since_best} epochs without improvement; the best weights are kept")
                    model.load_state_dict(best_state)
                    stop = True
        if stop:
            break

    if lead:
        # A plain (not synchronised) copy on the CPU, in inference mode.
        final = build_model()
        final.load_state_dict({k: v.cpu() for k, v in model.state_dict().items()})
        final.eval()
        test_loss, test_acc = evaluate(final, xt, yt, torch.device("cpu"))
        print(f"test accuracy {test_acc * 100:.2f}% (loss {test_loss:.4f}) on {xt.shape[0]:,} images, "
              f"{step} steps in {time.time() - began:.0f} s", flush=True)
        onnx_path = os.path.join(args.out, "model.onnx")
        torch.onnx.export(final, torch.zeros(1, 1, 28, 28), onnx_path + ".tmp", opset_version=13,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
        os.replace(onnx_path + ".tmp", onnx_path)
        if args.dump_logits > 0:
            with torch.no_grad():
                final(xt[:args.dump_logits]).numpy().astype("<f4").tofile(os.path.join(args.out, "test_logits.f32"))
        with open(os.path.join(args.out, "metrics.json"), "w") as f:
            json.dump({"test_accuracy": test_acc, "test_loss": test_loss, "steps": step, "processes": world,
                       "seconds": time.time() - began}, f, indent=2)
        print(f"saved {onnx_path}: open it in DigitPad (File > Open Model, or digitpad-cli eval --model {onnx_path})",
              flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
)PY";

const char* const kReadme = R"MD(# @SPEC@ with PyTorch

Generated by DigitPad: `@COMMAND@`.

`train.py` trains DigitPad's architecture `@SPEC@` on MNIST with
PyTorch's DistributedDataParallel, on one process or many:

    # one machine, two processes on the CPU (gloo)
    torchrun --standalone --nproc_per_node 2 train.py --data ~/.local/share/DigitPad/mnist
    # four machines with 8 GPUs each (nccl); run the same line on every machine
    torchrun --nnodes 4 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29400 \
        train.py --data /shared/mnist --out run
    # plain python runs one process
    python3 train.py --data DIR

On Debian 12 (PyTorch 1.13 with Python 3.11) torchrun fails at start with
"'NoneType' object has no attribute 'get'" unless it is given
`--redirects 1 --tee 1` (its default of 0 is not understood there); the
output then appears as usual, prefixed by the process.

It needs PyTorch (Debian: `python3-torch`) and numpy, nothing else. `--data` is
a folder with MNIST's four IDX files (raw or .gz, as DigitPad's
`scripts/fetch-mnist` leaves them). After every epoch the first process writes
`OUT/checkpoint.pt` (`--resume` continues it); at the end it evaluates the test
set, writes `OUT/metrics.json`, `OUT/test_logits.f32` (the logits of the first
1,000 test images, float32) and `OUT/model.onnx`. Open that in DigitPad with
File > Open Model, or `digitpad-cli eval --model OUT/model.onnx`: it becomes an
ordinary DigitPad model to draw on, evaluate, inspect, fine-tune and save as
`.dpm`.

## The same run as in DigitPad

The settings are in `CONFIG` at the top of `train.py`: @SETTINGS@.

- Model, initialisation (He or Xavier as in the spec, biases 0), BatchNorm
  (momentum 0.1, epsilon 1e-5), optimizer (SGD, Adam, AdamW or RMSprop;
  weight decay and L1 on conv and dense weights only; Adam's bias correction
  and AdamW's decoupled decay as in DigitPad), loss, learning-rate schedule
  (per batch, with the fractional epoch, and the warm-up), the MNIST limit
  (the first N training images), the validation split and seed are DigitPad's.
- The input is DigitPad's: ink in [0, 1], no mean/std normalisation.
- `CONFIG["batch"]` is the global batch, as in DigitPad: each of W processes
  takes `batch // W` images per step, so the step count and learning rate do
  not change with W.

Where PyTorch differs:

- Random numbers: the same distributions and seed, but PyTorch's generators,
  so the weights, the shuffling, the validation split, the augmentation and
  dropout draw other numbers than DigitPad's. Runs match in outcome, not bit
  for bit.
- Augmentation (`augment()`, DigitPad's `nn/augment.cpp`): the same
  parameters (`@AUGMENT@`) and distributions. Scale, shear, rotation and
  shift are one `affine_grid` + `grid_sample` (bilinear, background outside,
  pixel centres as DigitPad); the elastic field is added to that grid, so an
  image is interpolated once where DigitPad interpolates twice; thickness is
  3x3 max-pooling (dilation) or its negative (erosion), the fractional step
  blended as DigitPad does.
- BatchNorm across processes: on GPUs it is SyncBatchNorm (statistics over
  the whole batch, as DigitPad's threads share them); on the CPU (gloo), each
  process normalises over its share of the batch.
)MD";

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
    return s;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> torchProjectFiles(const TorchProjectRequest& r)
{
    Model::checkSpec(r.spec, kDigitInput, kDigitClasses);  // throws SpecError naming the layer
    const PyModel m = pyModel(r.spec);
    std::string modules, init = "[";
    for (std::size_t i = 0; i < m.modules.size(); ++i) {
        modules += "        " + m.modules[i] + ",\n";
        init += (i ? ", " : "") + pyString(m.init[i]);
    }
    init += "]";
    modules.pop_back();  // the last newline: the template has its own
    std::string py = kTrainPy;
    py = replaceAll(py, "@CONFIG@", configJson(r));
    py = replaceAll(py, "@MODULES@", modules);
    py = replaceAll(py, "@INIT@", init);
    py = replaceAll(py, "@SPEC@", r.spec);
    std::string md = kReadme;
    md = replaceAll(md, "@SPEC@", r.spec);
    md = replaceAll(md, "@COMMAND@", r.command.empty() ? std::string("digitpad-cli export --torch") : r.command);
    md = replaceAll(md, "@SETTINGS@", r.config.describe());
    md = replaceAll(md, "@AUGMENT@", r.config.augment.enabled ? r.config.augment.toString() : std::string("none"));
    return {{"train.py", py}, {"README.md", md}};
}

TorchProjectPlan planTorchProject(const SessionRequest& run, const std::string& command)
{
    TorchProjectPlan p;
    TorchProjectRequest& r = p.request;
    const std::string base = run.initial ? run.initial->spec() : run.spec;
    r.spec = Model::checkSpec(specWithDropout(base, run.dropout, !run.initial), kDigitInput, kDigitClasses).spec;
    r.config = run.config;
    r.config.maxBatchesPerEpoch = 0;  // the GUI's test limit; train.py has --max-steps
    r.config.outlierBatch = 0;
    r.validationFraction = run.validationFraction;
    r.earlyStopPatience = run.config.earlyStopPatience;
    r.mnistLimit = run.mnistLimit;
    r.command = command;
    auto& n = p.notCarried;
    if (run.initial)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "the weights of the model being fine-tuned (the project trains its architecture from new weights)"));
    if (run.resume)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "the checkpoint being resumed (the project starts a new run)"));
    if (!run.useMnist)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "training without MNIST (the project trains on MNIST)"));
    if (run.userTrain && run.userTrain->size() > 0)  // held-out digits are only measured
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "your own digits (the project trains on MNIST only)"));
    if (run.styles > 0)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "the synthetic digits in other styles (--styles)"));
    if (run.outliers > 0 || run.config.outlierBatch > 0)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "outlier exposure with synthetic non-digits (--outliers)"));
    if (run.trainOverride || run.validationOverride)
        n.push_back(DIGITPAD_UI_TEXT("nn::ui", "the given training and validation sets (the project reads MNIST's files)"));
    return p;
}

UiText TorchFolderState::describeText() const
{
    UiText s;
    for (std::size_t i = 0; i < firstNames.size(); ++i) {
        const UiText name = uiText(DIGITPAD_UI_TEXT("nn::ui", "'%1'"), firstNames[i]);
        if (i == 0)
            s = name;
        else if (i + 1 == firstNames.size() && entries == firstNames.size())
            s = uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 and %2"), s, name);
        else
            s = uiText(DIGITPAD_UI_TEXT("nn::ui", "%1, %2"), s, name);
    }
    if (entries > firstNames.size())
        s = uiText(DIGITPAD_UI_TEXT("nn::ui", "%1 and %2 more"), s, entries - firstNames.size());
    return s;
}

std::string TorchFolderState::describe() const { return toString(describeText()); }

namespace {

std::string withoutTrailingSlashes(std::string dir)
{
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

std::string parentOf(const std::string& dir)
{
    const std::size_t slash = dir.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : dir.substr(0, slash);
}

std::string baseNameOf(const std::string& dir)
{
    const std::size_t slash = dir.rfind('/');
    return slash == std::string::npos ? dir : dir.substr(slash + 1);
}

// Removes the temporary folder and the files written into it.
void removeFolder(const std::string& tmp, const std::vector<std::pair<std::string, std::string>>& files)
{
    for (const auto& f : files)
        ::unlink((tmp + "/" + f.first).c_str());
    ::rmdir(tmp.c_str());
}

}  // namespace

TorchFolderState torchFolderState(const std::string& dirIn)
{
    const std::string dir = withoutTrailingSlashes(dirIn);
    TorchFolderState st;
    struct stat s;
    if (::stat(dir.c_str(), &s) != 0) {
        if (errno == ENOENT)
            return st;
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot look at the folder: %1"), systemError(errno)));
    }
    if (!S_ISDIR(s.st_mode))
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "is a file, not a folder; give the name of a new or "
                                                               "empty folder for the project")));
    st.exists = true;
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot list the folder: %1"), systemError(errno)));
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        ++st.entries;
        names.push_back(name);
        // Only the first three (sorted) are kept: a huge folder costs no memory.
        std::sort(names.begin(), names.end());
        if (names.size() > 3)
            names.pop_back();
    }
    ::closedir(d);
    st.firstNames = std::move(names);
    return st;
}

void writeTorchProject(const std::string& dirIn, const TorchProjectRequest& r, bool replaceFiles)
{
    if (dirIn.empty())
        throw FileError(dirIn, uiText(DIGITPAD_UI_TEXT("nn::ui", "no folder name given")));
    const auto files = torchProjectFiles(r);  // a bad spec fails before anything is created
    std::string dir = withoutTrailingSlashes(dirIn);
    TorchFolderState state = torchFolderState(dir);
    if (state.exists && !state.empty()) {
        if (!replaceFiles)
            throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "the folder is not empty (it holds %1); choose a new "
                                                                   "or empty folder for the project"),
                                        state.describeText()));
        // What is replaced must be a file: a folder named train.py would make the
        // second rename fail after the first had happened.
        for (const auto& f : files) {
            struct stat s;
            const std::string target = dir + "/" + f.first;
            if (::lstat(target.c_str(), &s) == 0 && !S_ISREG(s.st_mode))
                throw FileError(target,
                                uiText(DIGITPAD_UI_TEXT("nn::ui", "is not a regular file; it cannot be replaced by the "
                                                                  "project's %1"),
                                       f.first));
        }
    }
    // A folder reached through a symbolic link: the rename replaces the real one.
    if (state.exists) {
        if (char* real = ::realpath(dir.c_str(), nullptr)) {
            dir = real;
            std::free(real);
        }
    }
    const std::string parent = parentOf(dir);
    makeFolders(parent);
    std::string tmp = parent + "/." + baseNameOf(dir) + ".tmp-XXXXXX";
    if (!::mkdtemp(tmp.data()))
        throw FileError(dir, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create a temporary folder in %1: %2"), parent,
                                    systemError(errno)));
    try {
        for (const auto& [name, content] : files)
            writeFileAtomic(tmp + "/" + name, reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
        // mkdtemp makes 0700; the project is an ordinary folder.
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::chmod(tmp.c_str(), 0777 & ~mask);
        if (state.exists && !state.empty()) {
            for (const auto& f : files) {
                const std::string target = dir + "/" + f.first;
                if (::rename((tmp + "/" + f.first).c_str(), target.c_str()) != 0)
                    throw FileError(target, uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot replace the file: %1"),
                                                   systemError(errno)));
            }
        } else if (::rename(tmp.c_str(), dir.c_str()) != 0) {
            // rename(2) replaces an empty folder; one that filled up meanwhile is ENOTEMPTY.
            const int err = errno;
            throw FileError(dir, err == ENOTEMPTY || err == EEXIST
                                     ? uiText(DIGITPAD_UI_TEXT("nn::ui", "the folder is not empty any more; choose a "
                                                                         "new or empty folder"))
                                     : uiText(DIGITPAD_UI_TEXT("nn::ui", "cannot create the folder: %1"),
                                              systemError(err)));
        }
    } catch (...) {
        removeFolder(tmp, files);
        throw;
    }
    if (state.exists && !state.empty())
        ::rmdir(tmp.c_str());
}

std::string torchrunCommand(const std::string& dir, const std::string& dataDir)
{
    // --redirects 1 --tee 1: Debian 12's torchrun (PyTorch 1.13, Python 3.11)
    // cannot parse its own default of 0; elsewhere they only prefix the output.
    return "cd " + shellQuote(dir) + " && torchrun --standalone --nproc_per_node 2 --redirects 1 --tee 1 train.py --data " +
           shellQuote(dataDir);
}

}  // namespace nn
