// Kernels view: every kernel of one conv layer (GET /api/models/{id}/layer-kernels/{layer}, the ConvKernels
// record of ./glassbox viz kernels), drawn on one zero-centred blue-white-red scale.

import { api, frame, control, diverging, mapCanvas, fmt } from "./common.js";

export const id = "kernels", title = "Kernels";

export async function render({ model, body, alive }) {
  const f = frame(body, `The weights of a convolution layer: one small square per kernel, a row per output channel and a
    column per input channel, on one colour scale for the whole layer (blue negative, white zero, red positive; the end
    value is stated). A first layer that learned something shows smooth strokes, edges and blobs; noise-like or
    nearly white kernels mean little training or dead units (marked with a red frame).`);
  // (Models without conv layers show their first layer's templates instead: see templates() below.)
  const convs = model.layers.filter((l) => l.kind === "Conv2d").map((l) => l.name);
  if (!convs.length) return templates(model, f, alive);
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

// A model without conv layers (linear, mlp): the rows of its first fully connected layer, each reshaped to the
// image, are its "kernels" (GET /api/models/{id}/templates, the FcTemplates record of ./glassbox viz templates).
async function templates(model, f, alive) {
  f.content.innerHTML = "";
  const t = await api(`/api/models/${model.id}/templates`);
  if (!alive()) return;
  f.content.insertAdjacentHTML("afterbegin", `<p class="caption">${model.arch} has no convolution layer: its first layer,
    <b></b>, is fully connected and sees every pixel, so each of its units has one weight per pixel. Reshaped to the
    image, a unit's weights are the picture it matches best (its template); for a linear classifier, one blurry
    prototype per class.</p>`);
  f.content.querySelector("b").textContent = t.layer;
  const scaling = control(f.controls, "scale", `<select class="scaling"><option value="global">one scale for all</option>
    <option value="tile">each template its own</option></select>`);
  const box = document.createElement("div");
  box.className = "thumbs templates";
  f.content.append(box);
  const [c, h, w] = t.imageShape;
  const shown = t.templates.slice(0, 100);
  const draw = () => {
    box.innerHTML = "";
    const global = shown.reduce((m, x) => Math.max(m, Math.abs(x.min), Math.abs(x.max)), 0);
    for (const tp of shown) {
      const m = scaling.value === "global" ? global : Math.max(Math.abs(tp.min), Math.abs(tp.max));
      const scale = Math.max(2, Math.floor(64 / w));
      const cv = c === 3
        ? mapCanvas(Array.from({ length: h * w }, (_, i) => i), 0, w, h, scale, (i) => [0, 1, 2].map((ch) => // pixel i in colour
          Math.round(127.5 + 127.5 * (m > 0 ? tp.weights[ch * h * w + i] / m : 0))))
        : mapCanvas(tp.weights, 0, w, h, scale, (v) => diverging(m > 0 ? v / m : 0));
      const fig = document.createElement("figure");
      fig.className = "thumb";
      fig.append(cv);
      fig.insertAdjacentHTML("beforeend", "<figcaption></figcaption>");
      fig.lastChild.textContent = `${tp.label}` + (scaling.value === "global" ? "" : ` +-${fmt(m)}`) + (m === 0 ? " dead" : "");
      box.append(fig);
    }
    box.dataset.scale = String(global);
  };
  scaling.onchange = draw;
  draw();
  f.content.insertAdjacentHTML("beforeend", `<p class="caption"></p>`);
  f.content.lastElementChild.textContent = `${t.templates.length} units` + (t.templates.length > shown.length ? ` (the first ${shown.length} shown)` : "") +
    (c === 3 ? "; colour pictures, grey = 0" : "; blue negative, white 0, red positive") +
    `; one scale: +-${fmt(shown.reduce((m, x) => Math.max(m, Math.abs(x.min), Math.abs(x.max)), 0))}.`;
  f.cli(`./glassbox viz templates --model ${model.id}`);
}
