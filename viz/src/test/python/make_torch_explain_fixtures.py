#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that ExplanationTorchTest holds glassbox.viz.gradients to.

A dev tool, not part of the build or the tests: the fixtures it writes are committed, and the Java test
only reads them. Run it with Debian's PyTorch (apt-get install -y python3-torch); it writes into
viz/src/test/resources/torch/, the same bytes every time:

    /usr/bin/python3 viz/src/test/python/make_torch_explain_fixtures.py

Networks (copied from engine/src/test/python/make_torch_fixtures.py, same layer names as the Java test):

    lenet5    1x28x28, conv5x5 pad 2, ReLU, maxpool 2, conv5x5, ReLU, maxpool 2, flatten, fc 400-120-84-10
    resblock  3x9x9, a ResNet basic block with a projection shortcut (batch norm in EVAL mode, random
              running statistics), ReLU, global average pool, fc 8->10

For one seeded random image and one class (and, for lenet5, one channel of conv2), in float64 from the
float32 weights and input, autograd computes:

    grad.input        d logit_c / d x                                   (saliency's raw numbers)
    gxi               x * grad.input                                    (gradient x input)
    guided            input gradient with every ReLU's backward replaced by dy * (x > 0) * (dy > 0)
    deconvnet         ... by dy * (dy > 0)
    smooth.noise      fixed noise [n, C, H, W] (stored, so both sides add the same)
    smoothgrad        mean over the n noisy copies of the input gradient
    ig.baseline       the baseline image (black = -mean/std with the stated normalization)
    ig                Integrated Gradients, trapezoid rule with ig.steps intervals: (x - x') * sum_k w_k grad(x' + a_k (x - x'))
    cam.<layer>       Grad-CAM at <layer>, low resolution: relu(sum_k mean(dS/dA_k) A_k)
    camup.<layer>     the same upsampled to the input with F.interpolate(mode="bilinear", align_corners=False)
    ggcam.<layer>     guided * camup.<layer> (Guided Grad-CAM)
    chan.grad.input   d (sum of conv2 channel `chan.channel`) / d x       (lenet5 only)

Scalars: class, ig.steps, chan.channel, norm.mean, norm.std (all stored as float32 tensors).
Format: the GBFX format of make_torch_fixtures.py (magic, version 1, count, named float32 tensors).
"""

import pathlib
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "torch"


class Residual(nn.Module):
    def __init__(self, main, shortcut):
        super().__init__()
        self.main, self.shortcut = main, shortcut
        for n, m in main + shortcut:
            self.add_module(n.replace(".", "_"), m)

    def run(self, x, acts, relu):
        h = x
        for n, m in self.main:
            h = relu(h) if isinstance(m, nn.ReLU) else m(h)
            acts[n] = h
        s = x
        for n, m in self.shortcut:
            s = m(s)
            acts[n] = s
        return h + s


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def lenet5():
    return [
        ("conv1", nn.Conv2d(1, 6, 5, padding=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2, 2)),
        ("conv2", nn.Conv2d(6, 16, 5)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2, 2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(400, 120)), ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(120, 84)), ("relu4", nn.ReLU()),
        ("fc3", nn.Linear(84, 10)),
    ]


def resblock():
    main = [
        ("res1.conv1", nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)), ("res1.bn1", nn.BatchNorm2d(8)),
        ("res1.relu1", nn.ReLU()),
        ("res1.conv2", nn.Conv2d(8, 8, 3, padding=1, bias=False)), ("res1.bn2", nn.BatchNorm2d(8)),
    ]
    shortcut = [("res1.proj", nn.Conv2d(3, 8, 1, stride=2, bias=False)), ("res1.proj_bn", nn.BatchNorm2d(8))]
    return [("res1", Residual(main, shortcut)), ("relu", nn.ReLU()), ("gap", GlobalAvgPool()), ("fc", nn.Linear(8, 10))]


# name, builder, input shape, class, Grad-CAM layers, channel target (layer, channel) or None, seed
NETWORKS = [
    ("lenet5", lenet5, (1, 28, 28), 3, ["pool2", "conv2"], ("conv2", 5), 21),
    ("resblock", resblock, (3, 9, 9), 7, ["relu", "res1.relu1"], None, 22),
]
SMOOTH_N = 8
IG_STEPS = 16


def leaves(net):
    for n, m in net:
        if isinstance(m, Residual):
            yield from m.main
            yield from m.shortcut
        else:
            yield n, m


def state(net):
    s = {}
    for n, m in leaves(net):
        for p, t in m.named_parameters(recurse=False):
            s[f"{n}.{p}"] = t
        for b, t in m.named_buffers(recurse=False):
            if b != "num_batches_tracked":
                s[f"{n}.{b}"] = t
    return s


class GuidedRelu(torch.autograd.Function):
    """ReLU whose backward passes dy only where x > 0 and dy > 0 (guided) or where dy > 0 (deconvnet)."""

    @staticmethod
    def forward(ctx, x, guided):
        ctx.save_for_backward(x)
        ctx.guided = guided
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        keep = dy > 0
        if ctx.guided:
            keep = keep & (x > 0)
        return dy * keep, None


def relu_for(rule):
    if rule == "standard":
        return F.relu
    return lambda h: GuidedRelu.apply(h, rule == "guided")


def run(net, x, rule="standard"):
    """Forward in eval mode; returns the logits and every layer's output by name."""
    relu = relu_for(rule)
    acts = {}
    h = x
    for n, m in net:
        if isinstance(m, Residual):
            h = m.run(h, acts, relu)
        elif isinstance(m, nn.ReLU):
            h = relu(h)
        else:
            h = m(h)
        acts[n] = h
    return h, acts


def input_grad(net, x, cls, rule="standard"):
    x = x.clone().requires_grad_(True)
    logits, _ = run(net, x, rule)
    logits[:, cls].sum().backward()
    return x.grad.detach()


def grad_cam(net, x, cls, layer):
    logits, acts = run(net, x)
    a = acts[layer]
    a.retain_grad()
    logits[0, cls].backward()
    alpha = a.grad.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((alpha * a).sum(dim=1, keepdim=True)).detach()
    up = F.interpolate(cam, size=x.shape[2:], mode="bilinear", align_corners=False)
    return cam[0, 0], up[0, 0]


def build(name, builder, shape, cls, cam_layers, channel, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    net = builder()
    with torch.no_grad():
        for _, m in leaves(net):
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))
    x = torch.randn((1,) + shape, generator=gen)
    noise = 0.3 * torch.randn((SMOOTH_N,) + shape, generator=gen)
    mean = torch.full((shape[0],), 0.4)
    std = torch.full((shape[0],), 0.25)

    tensors = {"input": x, "class": torch.tensor(float(cls)), "norm.mean": mean, "norm.std": std,
               "smooth.noise": noise, "ig.steps": torch.tensor(float(IG_STEPS))}
    for k, t in state(net).items():
        tensors[k] = t.detach().clone()

    for _, m in leaves(net):
        m.double()
        m.eval()
    xd = x.double()
    g = input_grad(net, xd, cls)
    tensors["grad.input"] = g
    tensors["gxi"] = g * xd
    guided = input_grad(net, xd, cls, "guided")
    tensors["guided"] = guided
    tensors["deconvnet"] = input_grad(net, xd, cls, "deconvnet")
    tensors["smoothgrad"] = input_grad(net, xd + noise.double(), cls).mean(dim=0, keepdim=True)

    base = (-(mean / std)).double().view(1, -1, 1, 1).expand_as(xd).clone()
    alphas = torch.arange(IG_STEPS + 1, dtype=torch.float64) / IG_STEPS
    weights = torch.full((IG_STEPS + 1,), 1.0 / IG_STEPS, dtype=torch.float64)
    weights[0] = weights[-1] = 0.5 / IG_STEPS
    path = base + alphas.view(-1, 1, 1, 1) * (xd - base)
    grads = input_grad(net, path, cls)
    tensors["ig.baseline"] = base
    tensors["ig"] = (xd - base) * (weights.view(-1, 1, 1, 1) * grads).sum(dim=0, keepdim=True)

    for layer in cam_layers:
        cam, up = grad_cam(net, xd, cls, layer)
        tensors["cam." + layer] = cam
        tensors["camup." + layer] = up
        tensors["ggcam." + layer] = guided * up
    if channel is not None:
        layer, ch = channel
        xr = xd.clone().requires_grad_(True)
        _, acts = run(net, xr)
        acts[layer][:, ch].sum().backward()
        tensors["chan.grad.input"] = xr.grad.detach()
        tensors["chan.channel"] = torch.tensor(float(ch))
    print(f"{name:9s} class {cls}: |grad| max {g.abs().max().item():.4g}, IG sum {tensors['ig'].sum().item():.6g}")
    return tensors


def write(path, tensors):
    with open(path, "wb") as f:
        f.write(b"GBFX")
        f.write(struct.pack("<ii", 1, len(tensors)))
        for name, t in tensors.items():
            b = name.encode("utf-8")
            t = t.detach().to(torch.float32).contiguous()
            f.write(struct.pack("<i", len(b)))
            f.write(b)
            f.write(struct.pack("<i", t.dim()))
            f.write(struct.pack(f"<{t.dim()}i", *t.shape))
            f.write(t.numpy().astype("<f4").tobytes())


def main():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for spec in NETWORKS:
        path = OUT / f"explain_{spec[0]}.bin"
        write(path, build(*spec))
        total += path.stat().st_size
    print(f"wrote {len(NETWORKS)} fixtures to {OUT}, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
