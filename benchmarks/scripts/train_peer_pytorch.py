#!/usr/bin/env python3
"""Peer figure for `./glassbox train`: the same network, data, optimizer and schedule in PyTorch (CPU).

    /usr/bin/python3 benchmarks/scripts/train_peer_pytorch.py lenet5 mnist 5
    /usr/bin/python3 benchmarks/scripts/train_peer_pytorch.py smallvgg cifar10 15
    /usr/bin/python3 benchmarks/scripts/train_peer_pytorch.py resnet20 cifar10 60 [LIMIT]

Same as Glassbox's defaults: SGD momentum 0.9, one-cycle (max lr 0.05), batch 64, inputs standardized
with the training set's per-channel mean/std, test set evaluated after every epoch; CIFAR-10 with random
crop (4-pixel padding) + horizontal flip and weight decay 5e-4 on the weights of convolutions and linear
layers only (as Glassbox: not on biases, not on batch norm). resnet20 is Zoo.resnet20 (batch norm after every
conv, 1x1 projection shortcuts where the shape changes), initialized as Glassbox does (He normal, Xavier for fc);
it answers "is 88% a limit of the recipe or of the engine?" with the same recipe in PyTorch. LIMIT trains on
the first LIMIT images only (a smoke run).
Threads: 2 (torch.set_num_threads).
Prints one line per epoch (train loss, test accuracy, seconds) and the total wall time. A dev tool: not
part of the build or the tests. Reads ../shared/datasets (or $GLASSBOX_DATA).
"""
import gzip
import os
import sys
import tarfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
from torch_resnet20 import Block  # noqa: E402

ROOT = os.environ.get("GLASSBOX_DATA") or next(
    (d for d in (os.path.join(_HERE, up, "shared/datasets") for up in ("../../..", "../../../..")) if os.path.isdir(d)),
    "shared/datasets")


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist():
    d = os.path.join(ROOT, "mnist")
    x = idx(os.path.join(d, "train-images-idx3-ubyte.gz"))[:, None]
    y = idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))
    xt = idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))[:, None]
    yt = idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))
    return x, y, xt, yt


def cifar10():
    train, test = [], None
    with tarfile.open(os.path.join(ROOT, "cifar-10-binary.tar.gz")) as t:
        for m in t.getmembers():
            if m.name.endswith(".bin"):
                a = np.frombuffer(t.extractfile(m).read(), np.uint8).reshape(-1, 3073)
                if "test_batch" in m.name:
                    test = a
                else:
                    train.append((m.name, a))
    a = np.concatenate([b for _, b in sorted(train)])
    return a[:, 1:].reshape(-1, 3, 32, 32), a[:, 0], test[:, 1:].reshape(-1, 3, 32, 32), test[:, 0]


def lenet5(c, h):
    pad = max(0, (32 - h) // 2)
    return nn.Sequential(nn.Conv2d(c, 6, 5, padding=pad), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def smallvgg(c, h):
    return nn.Sequential(nn.Conv2d(c, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * (h // 4) ** 2, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def resnet20(c, h):
    layers = [nn.Conv2d(c, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage, cout in enumerate((16, 32, 64)):
        for blk in range(3):
            layers.append(Block(cin, cout, 2 if stage > 0 and blk == 0 else 1))
            cin = cout
    model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
    for m in model.modules():  # as Glassbox's Init: He normal before a ReLU, Xavier uniform for the classifier
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        elif isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def augment(x, g):
    n, _, h, w = x.shape
    p = F.pad(x, (4, 4, 4, 4))  # black = the normalized value of pixel 0 is handled by padding before normalizing
    dy = torch.randint(0, 9, (n,), generator=g)
    dx = torch.randint(0, 9, (n,), generator=g)
    flip = torch.rand(n, generator=g) < 0.5
    out = torch.empty_like(x)
    for i in range(n):
        o = p[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        out[i] = o.flip(2) if flip[i] else o
    return out


def main():
    arch, dataset, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(2)
    torch.manual_seed(1)
    x, y, xt, yt = mnist() if dataset == "mnist" else cifar10()
    if len(sys.argv) > 4:
        x, y = x[:int(sys.argv[4])], y[:int(sys.argv[4])]
    xf = torch.tensor(x, dtype=torch.float32) / 255
    mean = xf.mean(dim=(0, 2, 3), keepdim=True)
    std = xf.std(dim=(0, 2, 3), keepdim=True)
    xt_n = (torch.tensor(xt, dtype=torch.float32) / 255 - mean) / std
    y, yt = torch.tensor(y, dtype=torch.long), torch.tensor(yt, dtype=torch.long)
    cifar = dataset == "cifar10"
    model = {"lenet5": lenet5, "smallvgg": smallvgg, "resnet20": resnet20}[arch](x.shape[1], x.shape[2])
    weights = [p for p in model.parameters() if p.dim() > 1]  # conv and linear weights: the decayed ones
    others = [p for p in model.parameters() if p.dim() <= 1]  # biases, batch norm
    opt = torch.optim.SGD([{"params": weights, "weight_decay": 5e-4 if cifar else 0}, {"params": others, "weight_decay": 0}],
                          lr=0.05, momentum=0.9)
    steps = (len(y) + 63) // 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=steps * epochs, cycle_momentum=False)
    g = torch.Generator().manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {arch} on {dataset}, {epochs} epochs")
    t0 = time.time()
    for e in range(epochs):
        te = time.time()
        model.train()
        perm = torch.randperm(len(y), generator=g)
        total = 0.0
        for b in range(steps):
            idx_ = perm[b * 64:(b + 1) * 64]
            xb = xf[idx_]
            if cifar:
                xb = augment(xb, g)
            xb = (xb - mean) / std
            loss = F.cross_entropy(model(xb), y[idx_])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx_)
        model.eval()
        with torch.no_grad():
            correct = sum((model(xt_n[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item() for i in range(0, len(yt), 1000))
        print(f"epoch {e + 1}/{epochs}  train loss {total / len(y):.4f}  test acc {100 * correct / len(yt):.2f}%  "
              f"{time.time() - te:.1f} s (with eval)", flush=True)
    print(f"total {time.time() - t0:.1f} s; test accuracy: {100 * correct / len(yt):.2f}%")


if __name__ == "__main__":
    main()
