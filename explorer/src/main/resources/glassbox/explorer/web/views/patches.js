// Top-activating patches in the channel detail: when a map of the overview is clicked (app.js opens the
// channel with its kernels), the patches of the test images that drive that channel hardest are shown below
// (GET /api/models/{id}/top-patches/{layer}?channel=k, viz.activations.TopPatches, scanned once per layer).

import { $, job, rgbCanvas, fmt } from "./common.js";

let asked = 0;

async function show(layer, channel) {
  const box = $("detail-patches");
  if (!box) return;
  const mine = ++asked;
  const model = $("model").value;
  box.innerHTML = `<h3>Top-activating patches</h3><p class="why">The pieces of test images (each the receptive field of one
    position of this map) where this channel responds most, strongest first, at most one per image. What they share is
    what the channel detects; a channel that never responds is dead.</p><p class="status muted"></p><div class="patches"></div>
    <p class="muted">The same from the command line:</p><pre class="cli"></pre>`;
  const status = box.querySelector(".status");
  try {
    const r = await job(`/api/models/${model}/top-patches/${encodeURIComponent(layer)}?channel=${channel}`, status, () => mine === asked);
    if (!r) return;
    const grid = box.querySelector(".patches");
    grid.dataset.layer = layer; grid.dataset.channel = String(channel);
    if (r.dead) grid.insertAdjacentHTML("beforeend", `<p class="error">dead: this channel never rises above 0 on the scanned images</p>`);
    for (const p of r.patches) {
      const fig = document.createElement("figure");
      fig.append(rgbCanvas(Uint8Array.from(atob(p.rgb), (ch) => ch.charCodeAt(0)), p.size, p.size, Math.max(2, Math.floor(64 / p.size))));
      fig.insertAdjacentHTML("beforeend", `<figcaption></figcaption>`);
      fig.lastChild.textContent = `${fmt(p.value)}, #${p.image}` + (p.label ? ` (${p.label})` : "");
      grid.append(fig);
    }
    status.textContent = `${layer} channel ${channel}: the ${r.patches.length} strongest of ${r.imagesScanned} test images ` +
      `(${r.dataset}), receptive field ${r.receptiveField}x${r.receptiveField} pixels (grey where it hangs over the border).`;
    box.querySelector(".cli").textContent = `./glassbox viz top-patches --model ${model} --layer ${layer} --images ${r.imagesScanned}`;
  } catch (e) {
    status.innerHTML = `<span class="error"></span>`;
    status.firstChild.textContent = e.message;
  }
}

// A click on a map of the overview (the layer's row says which layer): patches for maps of the model's layers.
$("overview").addEventListener("click", (e) => {
  const c = e.target.closest("canvas[data-channel]");
  const row = e.target.closest(".layer");
  if (!c || !row || row.dataset.layer === "input") return;
  show(row.dataset.layer, Number(c.dataset.channel));
});
const forget = () => { asked++; const b = $("detail-patches"); if (b) b.innerHTML = ""; };
$("model").addEventListener("change", forget);
document.addEventListener("glassbox:models", forget);
