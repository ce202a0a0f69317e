#!/usr/bin/env python3
"""PyTorch's PGD on the same weights as `./glassbox robustness --attack pgd`: the peer of the robustness timing.

Reads a Glassbox model file (.gbx, format in engine/src/main/java/glassbox/model/ModelIO.java: big-endian,
"GLASSBOX", version, length, arch, options, input shape, class names, mean, std, meta, named float32 tensors,
CRC-32), rebuilds resnet20 (or lenet5) in PyTorch with the same layer names, loads every weight and batch-norm
running statistic, and runs PGD (L-inf, random start, step 2.5 eps / steps, eval mode, parameters frozen so
only input gradients are computed) over the first N CIFAR-10 test images in batches. Prints one JSON line:
seconds (attack incl. the clean and final forward passes, data loading excluded), clean and robust accuracy.
Usage: pgd_peer_pytorch.py MODEL.gbx CIFAR_TAR_GZ [N] [EPS] [STEPS] [THREADS] [BATCH]
"""
import io
import json
import struct
import sys
import tarfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_gbx(path):
    b = open(path, "rb").read()
    assert b[:8] == b"GLASSBOX", "not a Glassbox model file"
    pos = 20

    def u32():
        nonlocal pos
        v = struct.unpack_from(">I", b, pos)[0]
        pos += 4
        return v

    def s():
        nonlocal pos
        n = struct.unpack_from(">H", b, pos)[0]
        pos += 2
        v = b[pos:pos + n].decode("utf-8")
        pos += n
        return v

    def floats(n):
        nonlocal pos
        v = np.frombuffer(b, ">f4", n, pos).astype(np.float32)
        pos += 4 * n
        return v

    arch = s()
    opts = {s(): s() for _ in range(u32())}
    shape = [u32() for _ in range(u32())]
    classes = [s() for _ in range(u32())]
    mean = floats(u32())
    std = floats(u32())
    meta = {s(): s() for _ in range(u32())}
    tensors = {}
    for _ in range(u32()):
        name = s()
        dims = [u32() for _ in range(u32())]
        tensors[name] = torch.from_numpy(floats(int(np.prod(dims))).reshape(dims).copy())
    return arch, shape, mean, std, tensors


class ResNet20(nn.Module):
    """Glassbox's Zoo.resnet20: conv1-bn1-relu, 3 stages x 3 basic blocks (16, 32, 64), global average pool, fc."""

    def __init__(self, t):
        super().__init__()
        self.t = t

    def conv(self, x, name, stride, pad):
        return F.conv2d(x, self.t[name + ".weight"], self.t.get(name + ".bias"), stride, pad)

    def bn(self, x, name):
        t = self.t
        return F.batch_norm(x, t[name + ".running_mean"], t[name + ".running_var"], t[name + ".weight"], t[name + ".bias"], False, 0.1, 1e-5)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x, "conv1", 1, 1), "bn1"))
        for stage in range(3):
            for blk in range(3):
                n = "block%d_%d" % (stage + 1, blk + 1)
                stride = 2 if stage > 0 and blk == 0 else 1
                y = F.relu(self.bn(self.conv(x, n + ".conv1", stride, 1), n + ".bn1"))
                y = self.bn(self.conv(y, n + ".conv2", 1, 1), n + ".bn2")
                sc = self.bn(self.conv(x, n + ".proj", stride, 0), n + ".projbn") if (n + ".proj.weight") in self.t else x
                x = F.relu(y + sc)
        x = x.mean(dim=(2, 3))
        return F.linear(x, self.t["fc.weight"], self.t["fc.bias"])


def load_resnet20(path):
    """The resnet20 of a .gbx file in eval mode with frozen weights, its input shape, and its mean and std as [1, C, 1, 1]."""
    arch, shape, mean, std, t = read_gbx(path)
    assert arch == "resnet20", "this peer rebuilds resnet20, the file holds " + arch
    for v in t.values():
        v.requires_grad_(False)
    return ResNet20(t).eval(), shape, torch.tensor(mean).view(1, -1, 1, 1), torch.tensor(std).view(1, -1, 1, 1)


def cifar_test(path, n):
    with tarfile.open(path) as tf:
        m = [x for x in tf.getmembers() if x.name.endswith("test_batch.bin")][0]
        raw = np.frombuffer(tf.extractfile(m).read(), np.uint8).reshape(-1, 3073)
    return raw[:n, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0, raw[:n, 0].astype(np.int64)


def main():
    model_path, data_path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    eps = float(sys.argv[4]) if len(sys.argv) > 4 else 8 / 255
    steps = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 2
    batch = int(sys.argv[7]) if len(sys.argv) > 7 else 256
    torch.set_num_threads(threads)
    net, shape, mean_t, std_t = load_resnet20(model_path)
    x_all, y_all = cifar_test(data_path, n)
    alpha = 2.5 * eps / steps
    gen = torch.Generator().manual_seed(1)
    t0 = time.perf_counter()
    clean_ok = robust_ok = 0
    for b0 in range(0, n, batch):
        p0 = torch.from_numpy(x_all[b0:b0 + batch])
        y = torch.from_numpy(y_all[b0:b0 + batch])
        with torch.no_grad():
            clean_ok += int((net((p0 - mean_t) / std_t).argmax(1) == y).sum())
        p = (p0 + (torch.rand(p0.shape, generator=gen) * 2 - 1) * eps).clamp(0, 1)
        p = torch.min(torch.max(p, p0 - eps), p0 + eps)
        for _ in range(steps):
            p.requires_grad_(True)
            loss = F.cross_entropy(net((p - mean_t) / std_t), y)
            g, = torch.autograd.grad(loss, p)
            with torch.no_grad():
                p = p + alpha * g.sign()
                p = torch.min(torch.max(p, p0 - eps), p0 + eps).clamp(0, 1)
        with torch.no_grad():
            robust_ok += int((net((p - mean_t) / std_t).argmax(1) == y).sum())
    secs = time.perf_counter() - t0
    print(json.dumps({"peer": "pytorch", "version": torch.__version__, "seconds": round(secs, 3), "images": n,
                      "clean_accuracy": clean_ok / n, "robust_accuracy": robust_ok / n, "eps": eps, "steps": steps, "threads": threads}))


if __name__ == "__main__":
    main()
