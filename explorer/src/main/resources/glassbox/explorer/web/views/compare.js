// Compare architectures: the first conv layer of every loaded model (GET /api/compare-kernels, the
// KernelComparison record of ./glassbox viz compare-kernels), its kernels and its numbers beside those of noise.

import { api, frame, diverging, fmt, pct } from "./common.js";

export const id = "compare", title = "Compare architectures";

const ROWS = [
  ["kernels", "kernels", (s) => String(s.kernels), false],
  ["kernel size", "kernel side in pixels", (s) => `${s.kernelSize}x${s.kernelSize}`, false],
  ["smoothness", "1 = constant, 0 = the roughest possible checkerboard", (s) => fmt(s.meanSmoothness), true],
  ["coherence", "how oriented (edge- or stripe-like): 1 perfectly, 0 a blob", (s) => fmt(s.meanCoherence), true],
  ["oriented", "share of kernels with coherence above 0.5", (s) => pct(s.orientedFraction), true],
  ["mean frequency", "cycles per pixel of the power spectrum (0 .. 0.71)", (s) => fmt(s.meanFrequency), true],
  ["colour share", "energy in what differs between R, G, B (0 for grey input)", (s) => pct(s.meanColourFraction), true],
  ["dead", "kernels with almost no weight", (s) => pct(s.deadFraction), false],
];

export async function render({ model, body, alive }) {
  const f = frame(body, `The first convolution layer of every model loaded in the explorer, side by side. Kernels are
    hard to compare by eye, so each column also gives numbers averaged over the layer, with in brackets what random
    (untrained) kernels of the same shape score: a trained layer is smoother, more oriented and lower in frequency than
    its noise. Large kernels (LeNet's 5x5) can hold smooth oriented edges; small 3x3 ones are rougher by construction.`);
  const c = await api("/api/compare-kernels");
  if (!alive()) return;
  const grid = document.createElement("div");
  grid.className = "compare";
  for (const l of c.layers) {
    const fig = document.createElement("figure");
    fig.dataset.label = l.label;
    const [out, cin, kh, kw] = l.kernels.shape;
    const absMax = l.kernels.kernels.reduce((m, x) => Math.max(m, x.maxAbs), 0);
    const tiles = document.createElement("div");
    tiles.className = "kernels";
    const per = cin * kh * kw;
    const scale = Math.max(3, Math.floor(36 / kh));
    for (let o = 0; o < Math.min(out, 64); o++) {
      const cv = document.createElement("canvas");
      cv.width = kw; cv.height = kh;
      cv.style.width = `${kw * scale}px`; cv.style.height = `${kh * scale}px`;
      const ctx = cv.getContext("2d"), img = ctx.createImageData(kw, kh);
      for (let i = 0; i < kh * kw; i++) {
        const col = cin === 3 ? [0, 1, 2].map((ch) => Math.round(127.5 + 127.5 * l.kernels.values[o * per + ch * kh * kw + i] / (absMax || 1)))
          : diverging(absMax > 0 ? l.kernels.values[o * per + i] / absMax : 0);
        img.data.set([col[0], col[1], col[2], 255], 4 * i);
      }
      ctx.putImageData(img, 0, 0);
      tiles.append(cv);
    }
    fig.append(tiles);
    const cap = document.createElement("figcaption");
    cap.textContent = `${l.label}: ${out} kernels of ${cin}x${kh}x${kw}` + (out > 64 ? " (first 64 shown)" : "") +
      (cin === 3 ? "; colour pictures, grey = 0" : "; blue - / white 0 / red +") + `, scale +-${fmt(absMax)}`;
    fig.append(cap);
    grid.append(fig);
  }
  f.content.append(grid);
  const table = document.createElement("table");
  table.className = "numbers";
  table.innerHTML = `<thead><tr><th>average over the layer</th></tr></thead><tbody></tbody>`;
  for (const l of c.layers) table.querySelector("tr").insertAdjacentHTML("beforeend", `<th></th>`);
  [...table.querySelectorAll("th")].slice(1).forEach((th, i) => { th.textContent = c.layers[i].label; });
  for (const [name, about, show, withNoise] of ROWS) {
    const tr = document.createElement("tr");
    tr.innerHTML = `<td title=""></td>`;
    tr.firstChild.textContent = name;
    tr.firstChild.title = about;
    for (const l of c.layers) {
      const td = document.createElement("td");
      td.textContent = show(l.summary) + (withNoise ? ` (noise ${show(l.noise)})` : "");
      tr.append(td);
    }
    table.querySelector("tbody").append(tr);
  }
  f.content.append(table);
  f.content.insertAdjacentHTML("beforeend", `<p class="muted">Hover a row name for its definition. Noise: the same numbers
    for 2,000 Gaussian random kernels of each layer's shape (${model.id} is the model picked at the top; this view shows all).</p>`);
  f.cli(`./glassbox viz compare-kernels --model ${c.layers.map((l) => l.label.split(" ")[0]).join(" ")}`);
}
