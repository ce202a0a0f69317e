// Helpers shared by the explorer's extra views (views/*.js): JSON requests, polling of background
// computations, pixels to canvases, colour maps, number formats. No view logic here.

export const $ = (id) => document.getElementById(id);

export async function api(path) {
  const res = await fetch(path);
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || res.statusText);
  return json;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Asks a background route until its result is there, showing the progress in `status`; `alive()` false
// stops the polling (the user picked another model meanwhile) and returns null.
export async function job(path, status, alive = () => true) {
  for (;;) {
    const res = await fetch(path);
    const j = await res.json();
    if (!alive()) return null;
    if (res.status !== 200 && res.status !== 202) throw new Error(j.error || res.statusText);
    if (res.status === 200) {
      status.textContent = `computed on the server in ${j.seconds.toFixed(1)} s (kept in memory: asking again is instant)`;
      status.dataset.state = "done";
      return j.result;
    }
    status.dataset.state = j.status;
    status.innerHTML = `<progress max="1"></progress> <span></span>`;
    status.querySelector("progress").value = j.progress;
    status.querySelector("span").textContent = j.status === "queued" ? "waiting for another computation to finish..."
      : `${j.task}: ${Math.round(100 * j.progress)}% (${j.seconds.toFixed(0)} s)`;
    await sleep(350);
  }
}

export function bytes(base64) {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function canvas(w, h, scale) {
  const c = document.createElement("canvas");
  c.width = w; c.height = h;
  c.style.width = `${w * scale}px`; c.style.height = `${h * scale}px`;
  return c;
}

// One image of planar 8-bit pixels [C, H, W] (grey or RGB) starting at `offset`.
export function imageCanvas(u8, offset, shape, scale) {
  const [ch, h, w] = shape;
  const c = canvas(w, h, scale);
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    img.data[4 * i] = u8[offset + i];
    img.data[4 * i + 1] = u8[offset + (ch > 1 ? w * h : 0) + i];
    img.data[4 * i + 2] = u8[offset + (ch > 2 ? 2 * w * h : 0) + i];
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

// Interleaved RGB bytes (3 a pixel, row-major) as a canvas.
export function rgbCanvas(u8, w, h, scale) {
  const c = canvas(w, h, scale);
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = u8[3 * i + k];
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

// Signed values: blue (-1), white (0), red (+1).
export const diverging = (t) => t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
  : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
// Non-negative values: black, red, yellow, white as t goes 0..1.
export const hot = (t) => [Math.min(1, 3 * t), Math.max(0, Math.min(1, 3 * t - 1)), Math.max(0, Math.min(1, 3 * t - 2))]
  .map((v) => Math.round(255 * v));

// A w x h canvas whose pixel i is colour(values[offset + i]).
export function mapCanvas(values, offset, w, h, scale, colour) {
  const c = canvas(w, h, scale);
  const ctx = c.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const rgb = colour(values[offset + i]);
    img.data[4 * i] = rgb[0]; img.data[4 * i + 1] = rgb[1]; img.data[4 * i + 2] = rgb[2]; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

export const fmt = (v) => (v === null || v === undefined || Number.isNaN(v) ? "n/a"
  : Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3));
export const pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : `${(100 * v).toFixed(1)}%`);

// Ten colours for classes that stay apart on a projector (Tableau 10).
export const CLASS_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

// Loads test image `index` as the page's current image (the input card's index box does the rest).
export function loadAsCurrent(index) {
  const box = $("index");
  box.value = String(index);
  box.dispatchEvent(new Event("change"));
  $("input-panel").scrollIntoView({ behavior: "smooth" });
}

// A row of clickable thumbnails for test images `indices`, with a caption per image.
export async function thumbnails(model, indices, into, caption, scale = 2) {
  into.innerHTML = "";
  if (!indices.length) return;
  const t = await api(`/api/models/${model}/thumbnails?indices=${indices.join(",")}`);
  const u8 = bytes(t.pixels);
  const per = t.shape[0] * t.shape[1] * t.shape[2];
  t.indices.forEach((idx, i) => {
    const fig = document.createElement("figure");
    fig.className = "thumb";
    fig.dataset.index = String(idx);
    const c = imageCanvas(u8, i * per, t.shape, scale);
    c.title = `test image ${idx}: click to load it as the current image`;
    fig.append(c);
    const cap = document.createElement("figcaption");
    cap.textContent = caption(idx, i);
    fig.append(cap);
    fig.onclick = () => loadAsCurrent(idx);
    into.append(fig);
  });
}

// The parts every view has: two or three sentences on what it shows (HTML), a row of controls, a status
// line for background computations, the content, and the CLI command that renders the same.
export function frame(body, why) {
  body.insertAdjacentHTML("beforeend", `<p class="why"></p><div class="row controls"></div><p class="status muted"></p>
    <div class="content"></div><p class="muted">The same from the command line:</p><pre class="cli"></pre>`);
  body.querySelector(".why").innerHTML = why;
  return {
    controls: body.querySelector(".controls"), status: body.querySelector(".status"),
    content: body.querySelector(".content"), cli: (text) => { body.querySelector(".cli").textContent = text; },
  };
}

// A labelled <select> or <input> appended to `row`; returns the control.
export function control(row, label, html) {
  const l = document.createElement("label");
  l.innerHTML = `${label} ${html}`;
  row.append(l);
  return l.lastElementChild;
}

// A chart from the ECharts webjar in a div of the given height; kept in window.glassboxCharts[name] for tests.
export function chart(echarts, into, name, height, option) {
  const div = document.createElement("div");
  div.className = "chart";
  div.style.height = `${height}px`;
  div.dataset.chart = name;
  into.append(div);
  const c = echarts.init(div, null, { renderer: "canvas" });
  c.setOption({ animation: false, textStyle: { fontFamily: "DejaVu Sans, sans-serif" }, ...option });
  new ResizeObserver(() => c.resize()).observe(div); // the window resized (a projector), the chart follows
  window.glassboxCharts = window.glassboxCharts || {};
  window.glassboxCharts[name] = c;
  return c;
}
