// Glassbox explorer page: picks a model, takes an image (drawn or from the test set), asks the server for
// the forward pass and draws the prediction and every layer's maps. All numbers come from /api/... routes.

import "./train.js";

const $ = (id) => document.getElementById(id);
const state = { models: [], model: null, index: 0, count: 0, pending: false, again: false,
  input: null, inputName: "", predicted: 0, explaining: false, explainAgain: false };

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || res.statusText);
  return json;
}

function bytes(base64) {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function toBase64(u8) {
  let s = "";
  for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]);
  return btoa(s);
}

// One plane of 8-bit values as a grey canvas of w x h pixels, shown at `scale` CSS pixels per pixel.
function greyCanvas(u8, offset, w, h, scale) {
  const c = document.createElement("canvas");
  c.width = w; c.height = h;
  c.style.width = `${w * scale}px`; c.style.height = `${h * scale}px`;
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = u8[offset + i];
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

// Signed values on a blue-white-red scale symmetric around zero (|v| = absMax is full colour).
function divergingCanvas(values, offset, w, h, absMax, scale) {
  const c = document.createElement("canvas");
  c.width = w; c.height = h;
  c.style.width = `${w * scale}px`; c.style.height = `${h * scale}px`;
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const t = absMax > 0 ? Math.max(-1, Math.min(1, values[offset + i] / absMax)) : 0;
    const r = t > 0 ? 255 : Math.round(255 * (1 + t)), b = t < 0 ? 255 : Math.round(255 * (1 - t));
    const g = Math.round(255 * (1 - Math.abs(t)));
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

// Accuracy as the model file stores it (a fraction such as 0.9938) shown as a percentage.
const percent = (a) => (Number(a) <= 1 ? `${(100 * Number(a)).toFixed(2)}%` : `${a}%`);

const fmt = (v) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

// ---- model choice ----
async function loadModels() {
  state.models = await api("/api/models");
  const sel = $("model");
  sel.innerHTML = "";
  for (const m of state.models) {
    const o = document.createElement("option");
    o.value = m.id; o.textContent = `${m.id} (${m.arch}, ${m.dataset})`;
    sel.append(o);
  }
  sel.onchange = () => chooseModel(sel.value);
  if (state.models.length) await chooseModel(state.models[0].id);
}

async function chooseModel(id) {
  state.model = state.models.find((m) => m.id === id);
  const m = state.model;
  const params = m.layers.reduce((s, l) => s + l.params, 0);
  $("model-info").textContent = `input ${m.inputShape.join("x")}, ${m.layers.length} layers, ` +
    `${params.toLocaleString("en")} parameters` + (m.accuracy ? `, test accuracy ${percent(m.accuracy)}` : "");
  const drawable = m.inputShape.join("x") === "1x28x28";
  $("draw").hidden = !drawable;
  $("clear").hidden = !drawable;
  clearDrawing();
  fillExplainPickers(m);
  await showTestImage(0);
}

// ---- test images ----
async function showTestImage(i) {
  try {
    const img = await api(`/api/models/${state.model.id}/images/${i}`);
    state.index = img.index; state.count = img.count;
    $("index").value = img.index;
    $("index").max = img.count - 1;
    $("image-note").textContent = `test image ${img.index} of ${img.count} (${img.source}), label: ${img.labelName}`;
    drawSeen(bytes(img.pixels), img.shape);
    state.inputName = String(img.index);
    await predict({ index: img.index });
  } catch (e) {
    $("image-note").innerHTML = `<span class="error">${e.message}</span>`;
  }
}

function drawSeen(px, shape) {
  const [c, h, w] = shape;
  const seen = $("seen");
  seen.width = w; seen.height = h;
  const ctx = seen.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    img.data[4 * i] = px[i];
    img.data[4 * i + 1] = px[(c > 1 ? 1 : 0) * w * h + i];
    img.data[4 * i + 2] = px[(c > 2 ? 2 : 0) * w * h + i];
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// ---- drawing ----
const draw = $("draw");
const dctx = draw.getContext("2d");
let drawing = false, last = null;

function clearDrawing() {
  dctx.fillStyle = "black";
  dctx.fillRect(0, 0, draw.width, draw.height);
}

function stroke(e) {
  const r = draw.getBoundingClientRect();
  const p = { x: (e.clientX - r.left) * draw.width / r.width, y: (e.clientY - r.top) * draw.height / r.height };
  dctx.strokeStyle = "white"; dctx.lineWidth = 22; dctx.lineCap = "round"; dctx.lineJoin = "round";
  dctx.beginPath();
  dctx.moveTo((last || p).x, (last || p).y);
  dctx.lineTo(p.x, p.y);
  dctx.stroke();
  last = p;
  predictDrawing();
}

draw.addEventListener("pointerdown", (e) => { drawing = true; last = null; draw.setPointerCapture(e.pointerId); stroke(e); });
draw.addEventListener("pointermove", (e) => { if (drawing) stroke(e); });
draw.addEventListener("pointerup", () => { drawing = false; last = null; });
$("clear").onclick = () => { clearDrawing(); drawSeen(new Uint8Array(784), [1, 28, 28]); };

// The drawing as MNIST would have it: bounding box scaled into 20x20, centred by mass in 28x28.
function drawingAsMnist() {
  const { width: W, height: H } = draw;
  const src = dctx.getImageData(0, 0, W, H).data;
  let x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (src[4 * (y * W + x)] > 20) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  }
  const out = new Uint8Array(784);
  if (x1 < 0) return out;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const small = document.createElement("canvas");
  small.width = small.height = 20;
  const sctx = small.getContext("2d");
  sctx.imageSmoothingQuality = "high";
  const sw = (x1 - x0 + 1) * 20 / side, sh = (y1 - y0 + 1) * 20 / side;
  sctx.drawImage(draw, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (20 - sw) / 2, (20 - sh) / 2, sw, sh);
  const s = sctx.getImageData(0, 0, 20, 20).data;
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) { const v = s[4 * (y * 20 + x)]; mass += v; mx += v * x; my += v * y; }
  const dx = Math.round(14 - (mass ? mx / mass : 9.5)), dy = Math.round(14 - (mass ? my / mass : 9.5));
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) {
    const tx = x + dx, ty = y + dy;
    if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = s[4 * (y * 20 + x)];
  }
  return out;
}

// One request in flight at a time; strokes made meanwhile are sent once it answers.
async function predictDrawing() {
  if (state.pending) { state.again = true; return; }
  state.pending = true;
  try {
    do {
      state.again = false;
      const px = drawingAsMnist();
      drawSeen(px, [1, 28, 28]);
      $("image-note").textContent = "your drawing";
      state.inputName = "drawing.png";
      await predict({ pixels: toBase64(px) });
    } while (state.again);
  } finally {
    state.pending = false;
  }
}

$("prev").onclick = () => showTestImage(Math.max(0, state.index - 1));
$("next").onclick = () => showTestImage(Math.min(state.count - 1, state.index + 1));
$("random").onclick = () => showTestImage(Math.floor(Math.random() * state.count));
$("index").onchange = () => showTestImage(Number($("index").value));

// ---- prediction and overview ----
async function predict(body) {
  const t0 = performance.now();
  let p;
  try {
    p = await api(`/api/models/${state.model.id}/predict`, body);
  } catch (e) {
    $("prediction").innerHTML = `<p class="error">${e.message}</p>`;
    return;
  }
  showPrediction(p);
  showOverview(p);
  $("timing").textContent = `server ${p.millis.toFixed(1)} ms, round trip ${(performance.now() - t0).toFixed(0)} ms`;
  state.input = body;
  newPrediction(p);
}

// A prediction for a new image: the class picker names the predicted class, and the explanation follows.
function newPrediction(p) {
  state.predicted = p.predicted;
  $("explain-class").options[0].textContent = `predicted (${p.classNames[p.predicted]})`;
  requestExplain();
}

// ---- upload of one's own picture ----
$("upload").onchange = async () => {
  const file = $("upload").files[0];
  if (!file) return;
  const t0 = performance.now();
  try {
    const res = await fetch(`/api/models/${state.model.id}/upload`, {
      method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file,
    });
    const p = await res.json();
    if (!res.ok) throw new Error(p.error || res.statusText);
    drawSeen(bytes(p.pixels), p.shape);
    $("image-note").textContent = `your picture ${file.name}, stretched to ${p.shape[2]}x${p.shape[1]}`;
    state.inputName = file.name;
    showPrediction(p);
    showOverview(p);
    $("timing").textContent = `server ${p.millis.toFixed(1)} ms, round trip ${(performance.now() - t0).toFixed(0)} ms`;
    state.input = { pixels: p.pixels };
    newPrediction(p);
  } catch (e) {
    $("image-note").innerHTML = `<span class="error"></span>`;
    $("image-note").firstChild.textContent = `${file.name}: ${e.message}`;
  }
};

// ---- explanation ----
const ABOUT = {
  "saliency": "Brightness is how much a small change of each pixel would change the class score, |d score / d pixel| " +
    "(Simonyan et al. 2014). It shows where the score is sensitive, not which way each pixel pushes it.",
  "gradient-x-input": "Each pixel's gradient times its (normalized) value: red pixels raise the class score, blue ones lower it, " +
    "to first order. Pixels at the data set's mean value get no credit, whatever the network does with them.",
  "guided-backprop": "The gradient with negative signals stopped at every ReLU on the way back (Springenberg et al. 2015): " +
    "red raises the score, blue lowers it. It gives crisp edges, but looks much the same for every class, so it shows the image more than the decision.",
  "smoothgrad": "The saliency map averaged over 50 copies of the image with noise added (Smilkov et al. 2017). " +
    "Averaging removes the speckle of a single gradient and keeps what is stable.",
  "integrated-gradients": "The gradient summed along the straight path from a black image to this one, times the difference " +
    "(Sundararajan et al. 2017, 50 steps): red raises the class score, blue lowers it. The values add up to the score minus the black image's score.",
  "gradcam": "The feature maps of a conv layer weighted by how much the class score depends on each, negative parts cut off, " +
    "scaled up to the input (Selvaraju et al. 2017). It is coarse, one cell per position of that layer, but it changes with the class.",
  "occlusion": "A grey patch is slid over the image and the drop of the class probability is recorded where it covers " +
    "(Zeiler & Fergus 2014): red means hiding these pixels lowers the probability, blue that it raises it. Forward passes only, no gradients.",
};

function fillExplainPickers(m) {
  const cls = $("explain-class");
  cls.innerHTML = "";
  cls.append(new Option("predicted", ""));
  m.classNames.forEach((name, k) => cls.append(new Option(`${k}: ${name}`, String(k))));
  const layer = $("cam-layer");
  layer.innerHTML = "";
  layer.append(new Option("default (last with feature maps)", ""));
  for (const l of m.layers) {
    if (l.outputShape.length === 3 && l.outputShape[1] * l.outputShape[2] > 1) layer.append(new Option(l.name, l.name));
  }
}

$("method").onchange = () => { $("cam-layer-label").hidden = $("method").value !== "gradcam"; requestExplain(); };
$("explain-class").onchange = () => requestExplain();
$("cam-layer").onchange = () => requestExplain();

// One explanation request in flight; changes made meanwhile are sent once it answers.
async function requestExplain() {
  if (!state.input) return;
  if (state.explaining) { state.explainAgain = true; return; }
  state.explaining = true;
  try {
    do {
      state.explainAgain = false;
      await explain();
    } while (state.explainAgain);
  } finally {
    state.explaining = false;
  }
}

async function explain() {
  const method = $("method").value, cls = $("explain-class").value, layer = $("cam-layer").value;
  const body = { ...state.input, method };
  if (cls !== "") body.class = Number(cls);
  if (method === "gradcam" && layer !== "") body.layer = layer;
  const t0 = performance.now();
  let x;
  try {
    x = await api(`/api/models/${state.model.id}/explain`, body);
  } catch (e) {
    $("explanation").dataset.method = "";
    $("explain-what").innerHTML = `<span class="error"></span>`;
    $("explain-what").firstChild.textContent = e.message;
    return;
  }
  showExplanation(x, performance.now() - t0);
}

// Heat colours for non-negative maps: black, red, yellow, white as t goes 0..1.
const hot = (t) => [Math.min(1, 3 * t), Math.max(0, Math.min(1, 3 * t - 1)), Math.max(0, Math.min(1, 3 * t - 2))].map((v) => Math.round(255 * v));
// Signed maps: blue (-1), white (0), red (+1).
const diverging = (t) => t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
  : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];

function showExplanation(x, roundTrip) {
  const [h, w] = x.shape;
  const q = bytes(x.data);
  const unit = (i) => x.signed ? (q[i] - 127.5) / 127.5 : q[i] / 255; // -1..1 or 0..1
  const colour = (t) => x.signed ? diverging(t) : hot(t);
  const map = $("explain-map");
  map.width = w; map.height = h;
  const mctx = map.getContext("2d");
  const mimg = mctx.createImageData(w, h);
  const seen = $("seen");
  const base = seen.getContext("2d").getImageData(0, 0, seen.width, seen.height).data;
  const over = $("explain-overlay");
  over.width = w; over.height = h;
  const octx = over.getContext("2d");
  const oimg = octx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const t = unit(i), c = colour(t);
    const a = 0.75 * Math.min(1, Math.abs(t));
    for (let k = 0; k < 3; k++) {
      mimg.data[4 * i + k] = c[k];
      const b = 0.6 * base[4 * i + k]; // the input dimmed, so the colours read
      const hue = x.signed ? c[k] : hot(0.35 + 0.65 * t)[k];
      oimg.data[4 * i + k] = Math.round(b * (1 - a) + hue * a);
    }
    mimg.data[4 * i + 3] = oimg.data[4 * i + 3] = 255;
  }
  mctx.putImageData(mimg, 0, 0);
  octx.putImageData(oimg, 0, 0);
  $("explain-bar").style.background = x.signed ? "linear-gradient(to right, rgb(0,0,255), white, rgb(255,0,0))"
    : "linear-gradient(to right, black, red, yellow, white)";
  const ticks = $("explain-ticks").children;
  ticks[0].textContent = x.signed ? fmt(-x.absMax) : fmt(x.min);
  ticks[1].textContent = x.signed ? "0" : "";
  ticks[2].textContent = x.signed ? fmt(x.absMax) : fmt(x.max);
  $("explain-range").textContent = x.signed
    ? `signed, symmetric around 0 (white); values from ${fmt(x.min)} to ${fmt(x.max)}`
    : `from ${fmt(x.min)} (black) to ${fmt(x.max)} (white)`;
  $("explain-what").textContent = ABOUT[x.method] || "";
  $("explain-target").textContent = `explaining ${x.target.replace(" probability", "")}: ` +
    `${x.method === "occlusion" ? "probability" : "logit"} ${fmt(x.score)}; ` +
    `server ${x.millis.toFixed(1)} ms, round trip ${roundTrip.toFixed(0)} ms`;
  const image = state.input && state.input.index !== undefined ? String(state.input.index) : state.inputName || "picture.png";
  $("explain-cli").textContent = `./glassbox explain ${x.method} --model ${state.model.id} --image ${image}` +
    ($("explain-class").value !== "" ? ` --class ${x.cls}` : "") + (x.method === "gradcam" && $("cam-layer").value !== "" ? ` --cam-layer ${x.layer}` : "") +
    (state.input.index === undefined ? `\n(save the picture as ${image} first)` : "");
  $("explanation").dataset.method = x.method;
}

function showPrediction(p) {
  const box = $("prediction");
  box.innerHTML = "";
  box.dataset.predicted = String(p.predicted);
  p.classNames.forEach((name, k) => {
    const row = document.createElement("div");
    row.className = "bar" + (k === p.predicted ? " predicted" : "") + (k === p.label ? " truth" : "");
    row.dataset.class = String(k);
    row.innerHTML = `<span class="name"></span><span class="track"><div class="fill"></div></span><span class="pct"></span>`;
    row.querySelector(".name").textContent = name;
    row.querySelector(".fill").style.width = `${(100 * p.probabilities[k]).toFixed(1)}%`;
    row.querySelector(".pct").textContent = `${(100 * p.probabilities[k]).toFixed(1)}%`;
    box.append(row);
  });
}

function showOverview(p) {
  const box = $("overview");
  box.innerHTML = "";
  state.lastPrediction = p;
  for (const layer of p.layers) {
    const row = document.createElement("div");
    row.className = "layer";
    row.dataset.layer = layer.name;
    const dead = layer.dead.filter(Boolean).length;
    row.innerHTML = `<div class="label"><b></b><span></span></div><div class="maps"></div>`;
    row.querySelector("b").textContent = layer.name;
    row.querySelector("span").textContent = `${layer.kind} ${layer.shape.join("x")}` + (dead ? `, ${dead} dead` : "");
    const maps = row.querySelector(".maps");
    const u8 = bytes(layer.data);
    if (layer.shape.length === 3) {
      const [c, h, w] = layer.shape;
      const scale = Math.max(1, Math.min(3, Math.round(48 / Math.max(h, w))));
      for (let ch = 0; ch < Math.min(c, 64); ch++) {
        const cv = greyCanvas(u8, ch * h * w, w, h, scale);
        cv.title = `${layer.name} channel ${ch}: ${fmt(layer.channelMin[ch])} .. ${fmt(layer.channelMax[ch])}` + (layer.dead[ch] ? " (dead)" : "");
        if (layer.dead[ch]) cv.classList.add("dead");
        cv.dataset.channel = String(ch);
        cv.onclick = () => showDetail(layer, ch, cv);
        maps.append(cv);
      }
      if (c > 64) maps.insertAdjacentHTML("beforeend", `<span class="vector">... ${c - 64} more channels</span>`);
    } else {
      const n = layer.shape[0];
      const w = Math.min(n, 64), h = Math.ceil(n / w);
      const padded = new Uint8Array(w * h);
      padded.set(u8);
      maps.append(greyCanvas(padded, 0, w, h, n <= 16 ? 12 : 4));
      maps.insertAdjacentHTML("beforeend", `<span class="vector">${n} values, ${fmt(layer.channelMin[0])} .. ${fmt(layer.channelMax[0])}</span>`);
    }
    box.append(row);
  }
}

async function showDetail(layer, ch, canvas) {
  document.querySelectorAll(".maps canvas.selected").forEach((c) => c.classList.remove("selected"));
  canvas.classList.add("selected");
  const panel = $("detail-panel");
  panel.hidden = false;
  $("detail-title").textContent = `${layer.name}, channel ${ch}` + (layer.dead[ch] ? " (dead: zero everywhere)" : "");
  const box = $("detail");
  box.innerHTML = "";
  const [, h, w] = layer.shape;
  const big = greyCanvas(bytes(layer.data), ch * h * w, w, h, Math.max(2, Math.floor(224 / Math.max(h, w))));
  const fig = document.createElement("figure");
  fig.append(big);
  fig.insertAdjacentHTML("beforeend", `<figcaption>activation, ${fmt(layer.channelMin[ch])} (black) .. ${fmt(layer.channelMax[ch])} (white)</figcaption>`);
  box.append(fig);
  if (layer.kind === "Conv2d") {
    try {
      const k = await api(`/api/models/${state.model.id}/kernels/${encodeURIComponent(layer.name)}?channel=${ch}`);
      const [cin, kh, kw] = k.shape;
      const kfig = document.createElement("figure");
      const grid = document.createElement("div");
      grid.className = "kernels";
      const scale = Math.max(4, Math.floor(48 / kh));
      for (let i = 0; i < Math.min(cin, 64); i++) {
        const cv = divergingCanvas(k.values, i * kh * kw, kw, kh, k.absMax, scale);
        cv.title = `input channel ${i}`;
        grid.append(cv);
      }
      kfig.append(grid);
      kfig.insertAdjacentHTML("beforeend", `<figcaption>${cin} kernels of ${kh}x${kw}, blue -${fmt(k.absMax)} .. white 0 .. red +${fmt(k.absMax)}</figcaption>`);
      box.append(kfig);
    } catch (e) {
      box.insertAdjacentHTML("beforeend", `<p class="error">${e.message}</p>`);
    }
  }
}

// A model trained live in the page (train.js) joins the list; {select: id} also shows it.
document.addEventListener("glassbox:models", async (e) => {
  const keep = e.detail.select || (state.model && state.model.id);
  await loadModels();
  if (keep && keep !== $("model").value) { $("model").value = keep; await chooseModel(keep); }
});

loadModels().catch((e) => { document.body.insertAdjacentHTML("afterbegin", `<p class="error">${e.message}</p>`); });
import("./views/views.js").catch((e) => console.error("the extra views did not load:", e)); // kernels, robustness, confusion, t-SNE, ...
