// Confusion matrix view: counts or row fractions as a heatmap table (GET /api/models/{id}/confusion, the
// viz.bias.Confusion record); a click on a cell shows its test images (GET .../confusion/cell), a click on an
// image loads it as the current image. Per-class precision and recall, and the hardest examples.

import { api, job, frame, control, thumbnails, pct } from "./common.js";

export const id = "confusion", title = "Confusion matrix";

export async function render({ model, body, alive }) {
  const f = frame(body, `Rows are the true classes, columns what the network predicted; the diagonal holds the correct
    answers. Off-diagonal cells show which classes the network mixes up, and in which direction (a 4 read as a 9 is
    not a 9 read as a 4). Click a cell to see its images, then an image to load it above and look at its explanation.`);
  const images = control(f.controls, "test images", `<input type="number" min="10" placeholder="2000" class="images">`);
  const mode = control(f.controls, "show", `<select class="mode"><option value="counts">counts</option>
    <option value="rows">fraction of the true class (row-normalized)</option></select>`);
  const go = document.createElement("button");
  go.textContent = "Compute";
  f.controls.append(go);
  let result = null;
  const run = async () => {
    f.content.innerHTML = "";
    const q = images.value ? `?images=${images.value}` : ""; // empty: the server's default, up to 2,000
    const r = await job(`/api/models/${model.id}/confusion${q}`, f.status, alive);
    if (!r) return;
    images.value = r.images;
    result = r;
    draw();
    f.cli(`./glassbox confusion --model ${model.id} --limit ${r.images}`);
  };
  mode.onchange = () => { if (result) draw(); };
  go.onclick = () => run().catch(fail);
  function fail(e) { f.status.innerHTML = `<span class="error"></span>`; f.status.firstChild.textContent = e.message; }

  function draw() {
    const c = result.confusion, k = c.classNames.length, rows = mode.value === "rows";
    f.content.innerHTML = `<div class="confusion-row"><div><table class="confusion"></table><p class="caption"></p></div>
      <div><table class="per-class"></table></div></div>
      <h3 class="cell-title"></h3><div class="cell-images thumbs"></div>
      <h3>Hardest examples</h3><p class="muted">The test images with the highest loss -log p(true class): mislabelled,
      ambiguous or odd pictures, and what the network is sure about and wrong.</p><div class="hardest thumbs"></div>`;
    const t = f.content.querySelector("table.confusion");
    let max = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) max = Math.max(max, rows ? c.rowNormalized[i][j] : c.counts[i][j]);
    const head = document.createElement("tr");
    head.innerHTML = `<th class="corner">true \\ predicted</th>`;
    c.classNames.forEach((name) => { const th = document.createElement("th"); th.textContent = name; head.append(th); });
    t.append(head);
    for (let i = 0; i < k; i++) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = c.classNames[i];
      tr.append(th);
      for (let j = 0; j < k; j++) {
        const td = document.createElement("td");
        const v = rows ? c.rowNormalized[i][j] : c.counts[i][j];
        // Diagonal in green by its row fraction; mistakes in red, scaled to the largest mistake so they stand out.
        const a = i === j ? (c.rowNormalized[i][j] || 0) : (max > 0 ? v / max : 0);
        td.style.background = i === j ? `rgba(42,157,143,${0.15 + 0.75 * a})` : v > 0 ? `rgba(230,57,70,${0.1 + 0.85 * a})` : "white";
        td.textContent = rows ? (v === null ? "" : (100 * v).toFixed(v >= 0.995 || v === 0 ? 0 : 1)) : String(v);
        td.dataset.true = String(i); td.dataset.predicted = String(j);
        td.title = `${c.counts[i][j]} images of ${c.classNames[i]} predicted ${c.classNames[j]}` +
          (c.rowNormalized[i][j] !== null ? ` (${pct(c.rowNormalized[i][j])} of ${c.classNames[i]})` : "");
        td.onclick = () => openCell(i, j, td).catch(fail);
        tr.append(td);
      }
      t.append(tr);
    }
    f.content.querySelector(".caption").textContent = `${result.images} test images (${result.dataset}), accuracy ` +
      `${(100 * c.correct / c.total).toFixed(2)}%. ${rows ? "Percent of each true class (rows add up to 100)." : "Counts of images."}` +
      ` Red cells: mistakes, darker for more; green: correct.`;
    const pc = f.content.querySelector("table.per-class");
    pc.innerHTML = `<tr><th>class</th><th title="of the images predicted as this class, the share that are">precision</th>
      <th title="of the images of this class, the share found">recall</th></tr>`;
    for (let i = 0; i < k; i++) {
      const tr = document.createElement("tr");
      tr.innerHTML = `<td></td><td></td><td></td>`;
      tr.children[0].textContent = c.classNames[i];
      tr.children[1].textContent = pct(c.precision[i]);
      tr.children[2].textContent = pct(c.recall[i]);
      if (c.recall[i] !== null && c.recall[i] < 0.9 * c.correct / c.total) tr.children[2].className = "weak";
      if (c.precision[i] !== null && c.precision[i] < 0.9 * c.correct / c.total) tr.children[1].className = "weak";
      pc.append(tr);
    }
    pc.insertAdjacentHTML("afterend", `<p class="muted">Precision: of the images predicted as the class, the share that
      are. Recall: of the class's images, the share found. Bold: well below the overall accuracy.</p>`);
    const names = c.classNames;
    thumbnails(model.id, c.hardest.map((h) => h.index), f.content.querySelector(".hardest"),
      (idx, i) => `#${idx}: ${names[c.hardest[i].label]} read as ${names[c.hardest[i].predicted]}, loss ${c.hardest[i].loss.toFixed(1)}`).catch(fail);
  }

  async function openCell(i, j, td) {
    document.querySelectorAll("table.confusion td.open").forEach((x) => x.classList.remove("open"));
    td.classList.add("open");
    const c = result.confusion;
    const cell = await api(`/api/models/${model.id}/confusion/cell?true=${i}&predicted=${j}&images=${result.images}`);
    const title = f.content.querySelector(".cell-title");
    const box = f.content.querySelector(".cell-images");
    box.dataset.true = String(i); box.dataset.predicted = String(j);
    const shown = cell.indices.slice(0, 60);
    title.textContent = `${cell.count} test image${cell.count === 1 ? "" : "s"} of ${c.classNames[i]} predicted ${c.classNames[j]}` +
      (shown.length < cell.count ? ` (the first ${shown.length})` : "") + (cell.count ? ": click one to load it" : "");
    await thumbnails(model.id, shown, box, (idx) => `#${idx}`);
  }
  await run();
}
