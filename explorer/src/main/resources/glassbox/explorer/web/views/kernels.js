// Kernels view: every kernel of one conv layer (GET /api/models/{id}/layer-kernels/{layer}, the ConvKernels
// record of ./glassbox viz kernels), drawn on one zero-centred blue-white-red scale.

import { api, frame, control, diverging, fmt } from "./common.js";

export const id = "kernels", title = "Kernels";

export async function render({ model, body, alive }) {
  const f = frame(body, `The weights of a convolution layer: one small square per kernel, a row per output channel and a
    column per input channel, on one colour scale for the whole layer (blue negative, white zero, red positive; the end
    value is stated). A first layer that learned something shows smooth strokes, edges and blobs; noise-like or
    nearly white kernels mean little training or dead units (marked with a red frame).`);
  const convs = model.layers.filter((l) => l.kind === "Conv2d").map((l) => l.name);
  if (!convs.length) {
    f.content.innerHTML = `<p class="muted">${model.arch} has no convolution layer: its first layer is fully connected
      (see <code>./glassbox viz templates</code>).</p>`;
    return;
  }
  const pick = control(f.controls, "layer", `<select class="layer-pick"></select>`);
  convs.forEach((n) => pick.append(new Option(n, n)));
  pick.onchange = () => draw(pick.value);
  async function draw(layer) {
    const k = (await api(`/api/models/${model.id}/layer-kernels/${encodeURIComponent(layer)}`)).kernels;
    if (!alive()) return;
    const [out, cin, kh, kw] = k.shape;
    const absMax = k.kernels.reduce((m, x) => Math.max(m, x.maxAbs), 0);
    f.content.innerHTML = "";
    const rgb = cin === 3;
    // A row per output channel and a column per input channel; a layer with one picture per kernel (grey or
    // colour input) wraps its kernels into rows of up to 16 instead.
    const single = rgb || cin === 1;
    const cols = single ? Math.min(out, 16) : Math.min(cin, 64), rows = single ? Math.ceil(out / cols) : out;
    const scale = Math.max(2, Math.min(8, Math.floor(900 / (cols * (kw + 1)))));
    const c = document.createElement("canvas");
    c.className = "kernel-grid";
    const cw = (kw + 1) * cols + 1, chh = (kh + 1) * rows + 1;
    c.width = cw; c.height = chh;
    c.style.width = `${cw * scale}px`; c.style.height = `${chh * scale}px`;
    const ctx = c.getContext("2d");
    ctx.fillStyle = "#d0d5dc"; ctx.fillRect(0, 0, cw, chh);
    const img = ctx.getImageData(0, 0, cw, chh);
    const per = cin * kh * kw;
    const tiles = single ? out : out * cols;
    for (let t = 0; t < tiles; t++) {
      const o = single ? t : Math.floor(t / cols), i = single ? 0 : t % cols;
      const gx = single ? t % cols : i, gy = single ? Math.floor(t / cols) : o;
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
        const p = 4 * ((1 + gy * (kh + 1) + y) * cw + 1 + gx * (kw + 1) + x);
        const col = rgb // the three input channels as one colour picture, grey = 0
          ? [0, 1, 2].map((ch) => Math.round(127.5 + 127.5 * k.values[o * per + ch * kh * kw + y * kw + x] / (absMax || 1)))
          : diverging(absMax > 0 ? k.values[o * per + i * kh * kw + y * kw + x] / absMax : 0);
        img.data[p] = col[0]; img.data[p + 1] = col[1]; img.data[p + 2] = col[2]; img.data[p + 3] = 255;
      }
      if (k.kernels[o].dead) { // a red frame around a dead kernel
        for (let x = 0; x <= kw + 1; x++) for (const y of [0, kh + 1]) {
          const p = 4 * ((gy * (kh + 1) + y) * cw + gx * (kw + 1) + x);
          img.data[p] = 230; img.data[p + 1] = 57; img.data[p + 2] = 70;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
    c.title = `${layer}: ${out} output channels x ${cin} input channels of ${kh}x${kw}`;
    f.content.append(c);
    const dead = k.kernels.filter((x) => x.dead).length;
    f.content.insertAdjacentHTML("beforeend", `<p class="caption"></p>`);
    f.content.lastElementChild.textContent = `${layer}: ${out} x ${cin} kernels of ${kh}x${kw}` +
      (single ? `, output channels left to right, top to bottom` : `, a row per output channel, a column per input channel`) +
      (rgb ? `, each shown as one colour picture of its 3 input channels (grey is 0, scale ${fmt(-absMax)} .. ${fmt(absMax)})`
        : `, blue ${fmt(-absMax)} .. white 0 .. red ${fmt(absMax)}`) +
      (cin > 64 ? `; the first 64 input channels shown` : "") + `; ${dead} dead (all zero).`;
    f.cli(`./glassbox viz kernels --model ${model.id} --layer ${layer}`);
  }
  await draw(convs[0]);
}
