'use strict';
// Latent Studio's pages. Every request goes to this studio (same origin); the access token travels in its cookie.

const $ = id => document.getElementById(id);

async function api(path, options = {}) {
  const init = { method: options.method || 'GET', headers: {} };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  let json = null;
  try { json = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) throw new Error((json && json.error) || `${response.status} ${response.statusText}`);
  return json;
}

function showError(id, error) {
  $(id).textContent = error ? (error.message || String(error)) : '';
}

// ---------------------------------------------------------------- live sessions
// A live panel owns one server session: POST creates it, its EventSource carries frames, closing the source ends it.
class LiveSession {
  constructor(kind, errorId, onFrame) {
    this.kind = kind; this.errorId = errorId; this.onFrame = onFrame;
    this.id = null; this.source = null;
  }
  async start(parameters) {
    this.close();
    showError(this.errorId, null);
    try {
      const created = await api(`/api/live/${this.kind}`, { method: 'POST', body: parameters });
      this.id = created.id;
      this.source = new EventSource(`/api/live/${created.id}/events`);
      this.source.onmessage = event => {
        const frame = JSON.parse(event.data);
        if (frame.error) { showError(this.errorId, frame.error); this.close(); return; }
        this.onFrame(frame);
      };
      this.source.onerror = () => { if (this.source && this.source.readyState === EventSource.CLOSED) this.close(); };
    } catch (e) {
      showError(this.errorId, e);
    }
  }
  async control(body) {
    if (!this.id) return;
    try { await api(`/api/live/${this.id}/control`, { method: 'POST', body }); showError(this.errorId, null); }
    catch (e) { showError(this.errorId, e); }
  }
  close() {
    if (this.source) { this.source.close(); this.source = null; }
    this.id = null;
  }
}

const liveSessions = [];
function live(kind, errorId, onFrame) {
  const session = new LiveSession(kind, errorId, onFrame);
  liveSessions.push(session);
  return session;
}
window.addEventListener('pagehide', () => liveSessions.forEach(s => s.close()));

function numberOf(id) { return Number($(id).value); }

// ---------------------------------------------------------------- colours
function mix(a, b, t) { return a.map((v, i) => Math.round(v + (b[i] - v) * t)); }
const cold = [90, 127, 208], neutral = [248, 248, 248], hot = [240, 160, 64];
function scoreColour(v) { return v < 0.5 ? mix(cold, neutral, v * 2) : mix(neutral, hot, (v - 0.5) * 2); }

// ---------------------------------------------------------------- mode collapse
const modes = (() => {
  const canvas = $('modes-canvas');
  let drawn = [];
  let bounds = [-3, 3, -3, 3];
  let history = { step: [], d: [], g: [], w: [], covered: [], hq: [] };
  let lastFrame = null;
  const session = live('modes', 'modes-error', frame => { lastFrame = frame; bounds = frame.bounds; draw(frame); record(frame); });

  function toCanvas(x, y) {
    return [(x - bounds[0]) / (bounds[1] - bounds[0]) * canvas.width, (1 - (y - bounds[2]) / (bounds[3] - bounds[2])) * canvas.height];
  }
  function toData(px, py) {
    return [bounds[0] + px / canvas.width * (bounds[1] - bounds[0]), bounds[2] + (1 - py / canvas.height) * (bounds[3] - bounds[2])];
  }

  function parameters() {
    return {
      data: $('modes-data').value, loss: $('modes-loss').value,
      lr_d: numberOf('modes-lr-d'), lr_g: numberOf('modes-lr-g'),
      d_steps: numberOf('modes-d-steps'), g_steps: numberOf('modes-g-steps'),
      steps_per_frame: numberOf('modes-speed'),
      points: $('modes-data').value === 'drawn' ? drawn : undefined,
    };
  }

  function reset() {
    history = { step: [], d: [], g: [], w: [], covered: [], hq: [] };
    lastFrame = null;
    $('modes-covered').textContent = '–'; $('modes-hq').textContent = '–'; $('modes-step-count').textContent = '0';
    if ($('modes-data').value === 'drawn' && drawn.length < 2) {
      session.close();
      bounds = [-3, 3, -3, 3];
      drawEmpty();
      showError('modes-error', 'draw at least 2 points on the plot (click and drag), then press Reset');
      return;
    }
    session.start(parameters());
    if ($('modes-slow').checked) session.control({ action: 'speed', slow_motion: true });
  }

  function drawEmpty() {
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#1a9850';
    for (const [x, y] of drawn) { const [cx, cy] = toCanvas(x, y); g.fillRect(cx - 2, cy - 2, 4, 4); }
    canvas.dataset.real = String(drawn.length);
    canvas.dataset.fake = '0';
  }

  function draw(frame) {
    const g = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    // The discriminator's score: a side × side image, smoothed up to the canvas.
    const side = frame.heat.side;
    const image = new ImageData(side, side);
    frame.heat.values.forEach((v, i) => {
      const [r, gg, b] = scoreColour(v / 255);
      image.data[4 * i] = r; image.data[4 * i + 1] = gg; image.data[4 * i + 2] = b; image.data[4 * i + 3] = 255;
    });
    const small = document.createElement('canvas');
    small.width = side; small.height = side;
    small.getContext('2d').putImageData(image, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(small, 0, 0, w, h);

    // The generator's manifold: the images of a grid of latent points, joined along rows and columns.
    const n = frame.manifold_side, m = frame.manifold;
    g.strokeStyle = 'rgba(80, 80, 80, 0.45)'; g.lineWidth = 1;
    for (let i = 0; i < n; i++) {
      g.beginPath();
      for (let j = 0; j < n; j++) { const k = 2 * (i * n + j); const [x, y] = toCanvas(m[k], m[k + 1]); j ? g.lineTo(x, y) : g.moveTo(x, y); }
      g.stroke();
      g.beginPath();
      for (let j = 0; j < n; j++) { const k = 2 * (j * n + i); const [x, y] = toCanvas(m[k], m[k + 1]); j ? g.lineTo(x, y) : g.moveTo(x, y); }
      g.stroke();
    }
    const dot = (points, colour) => {
      g.fillStyle = colour;
      for (let k = 0; k < points.length; k += 2) { const [x, y] = toCanvas(points[k], points[k + 1]); g.fillRect(x - 1.5, y - 1.5, 3, 3); }
    };
    dot(frame.real, 'rgba(26, 152, 80, 0.8)');
    dot(frame.fake, 'rgba(123, 50, 148, 0.8)');
    // Arrows: where the generator's loss pushes generated points, the longest drawn at 6% of the view.
    const a = frame.arrows;
    let longest = 1e-12;
    for (let k = 0; k < a.length; k += 4) longest = Math.max(longest, Math.hypot(a[k + 2], a[k + 3]));
    const scale = 0.06 * (bounds[1] - bounds[0]) / longest;
    g.strokeStyle = 'rgba(40, 20, 60, 0.85)'; g.lineWidth = 1.2;
    for (let k = 0; k < a.length; k += 4) {
      const [x0, y0] = toCanvas(a[k], a[k + 1]);
      const [x1, y1] = toCanvas(a[k] + a[k + 2] * scale, a[k + 1] + a[k + 3] * scale);
      g.beginPath(); g.moveTo(x0, y0); g.lineTo(x1, y1); g.stroke();
      const angle = Math.atan2(y1 - y0, x1 - x0);
      g.beginPath(); g.moveTo(x1, y1);
      g.lineTo(x1 - 5 * Math.cos(angle - 0.4), y1 - 5 * Math.sin(angle - 0.4));
      g.lineTo(x1 - 5 * Math.cos(angle + 0.4), y1 - 5 * Math.sin(angle + 0.4));
      g.closePath(); g.fillStyle = 'rgba(40, 20, 60, 0.85)'; g.fill();
    }
    g.fillStyle = '#222'; g.font = '12px system-ui, sans-serif';
    g.fillText(`${frame.loss}, step ${frame.step}${frame.heat.probabilities ? ', background σ(D(x))' : `, critic from ${Charts.format(frame.heat.min)} to ${Charts.format(frame.heat.max)}`}`, 8, 16);
    canvas.dataset.fake = String(frame.fake.length / 2);
    canvas.dataset.real = String(frame.real.length / 2);
    canvas.dataset.step = String(frame.step);

    $('modes-step-count').textContent = frame.step;
    const metrics = frame.metrics;
    if (metrics.modes_covered != null) {
      $('modes-covered').textContent = `${metrics.modes_covered} / ${metrics.mode_count}`;
      $('modes-hq').textContent = `${(100 * metrics.high_quality_share).toFixed(1)}%`;
    } else {
      $('modes-covered').textContent = 'n/a (drawn data)'; $('modes-hq').textContent = 'n/a';
    }
  }

  function record(frame) {
    if (history.step.length && history.step[history.step.length - 1] === frame.step) return;
    const m = frame.metrics;
    history.step.push(frame.step); history.d.push(m.d_loss); history.g.push(m.g_loss); history.w.push(m.wasserstein);
    history.covered.push(m.modes_covered); history.hq.push(m.high_quality_share != null ? 100 * m.high_quality_share : null);
    if (history.step.length > 3000) for (const k in history) history[k].splice(0, 1000);
    Charts.lines($('modes-chart'), [
      { name: 'D loss', xs: history.step, ys: history.d },
      { name: 'G loss', xs: history.step, ys: history.g },
      { name: 'Wasserstein estimate', xs: history.step, ys: history.w },
    ], { title: 'losses', xLabel: 'step' });
    Charts.lines($('modes-coverage-chart'), [
      { name: 'modes covered', xs: history.step, ys: history.covered },
      { name: 'high-quality %', xs: history.step, ys: history.hq },
    ], { title: 'mode coverage', xLabel: 'step', yLow: 0 });
  }

  // Drawing data with the mouse.
  let pressed = false;
  function addPoint(event) {
    if ($('modes-data').value !== 'drawn' || drawn.length >= 2000) return;
    const rect = canvas.getBoundingClientRect();
    const [x, y] = toData((event.clientX - rect.left) * canvas.width / rect.width, (event.clientY - rect.top) * canvas.height / rect.height);
    for (let i = 0; i < 3; i++) drawn.push([x + (Math.random() - 0.5) * 0.08, y + (Math.random() - 0.5) * 0.08]);
    if (!session.id) drawEmpty(); else {
      const g = canvas.getContext('2d'); g.fillStyle = '#1a9850';
      const [cx, cy] = toCanvas(x, y); g.fillRect(cx - 2, cy - 2, 4, 4);
    }
  }
  canvas.addEventListener('mousedown', e => { pressed = true; addPoint(e); });
  canvas.addEventListener('mousemove', e => { if (pressed) addPoint(e); });
  window.addEventListener('mouseup', () => { pressed = false; });

  $('modes-play').onclick = () => session.control({ action: 'play' });
  $('modes-pause').onclick = () => session.control({ action: 'pause' });
  $('modes-step').onclick = () => session.control({ action: 'step', steps: 1 });
  $('modes-reset').onclick = reset;
  $('modes-clear').onclick = () => { drawn = []; if ($('modes-data').value === 'drawn') { session.close(); bounds = [-3, 3, -3, 3]; drawEmpty(); } };
  $('modes-speed').onchange = () => session.control({ action: 'speed', steps_per_frame: numberOf('modes-speed') });
  $('modes-slow').onchange = () => session.control({ action: 'speed', slow_motion: $('modes-slow').checked });
  for (const id of ['modes-lr-d', 'modes-lr-g']) $(id).onchange = () => session.control({ action: 'learning-rates', lr_d: numberOf('modes-lr-d'), lr_g: numberOf('modes-lr-g') });
  $('modes-loss').onchange = () => {
    const wgan = $('modes-loss').value.startsWith('wgan');
    const clip = $('modes-loss').value === 'wgan';
    $('modes-lr-d').value = clip ? 0.0005 : 0.001; $('modes-lr-g').value = clip ? 0.0005 : 0.001;
    $('modes-d-steps').value = wgan ? 5 : 1;
    reset();
  };
  for (const id of ['modes-data', 'modes-d-steps', 'modes-g-steps']) $(id).addEventListener('change', reset);

  return { enter: reset, leave: () => session.close() };
})();

// ---------------------------------------------------------------- 1D arena
const arena = (() => {
  let history = { step: [], d: [], g: [], w1: [] };
  const session = live('arena', 'arena-error', frame => { draw(frame); record(frame); });

  function parameters() {
    return {
      target: $('arena-target').value, loss: $('arena-loss').value,
      lr_d: numberOf('arena-lr-d'), lr_g: numberOf('arena-lr-g'), n_critic: numberOf('arena-n-critic'),
    };
  }
  function reset() {
    history = { step: [], d: [], g: [], w1: [] };
    session.start(parameters());
  }

  function draw(frame) {
    const canvas = $('arena-canvas'), g = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, left = 40, bottom = 26, top = 20;
    g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
    const top1 = Math.max(...frame.density, ...frame.histogram, 1e-6) * 1.1;
    const px = x => left + (x - frame.low) / (frame.high - frame.low) * (w - left - 10);
    const py = v => h - bottom - v / top1 * (h - bottom - top);
    const bins = frame.histogram.length, binWidth = (frame.high - frame.low) / bins;
    g.fillStyle = 'rgba(123, 50, 148, 0.55)';
    frame.histogram.forEach((v, i) => {
      const x0 = px(frame.low + i * binWidth), x1 = px(frame.low + (i + 1) * binWidth);
      g.fillRect(x0, py(v), x1 - x0 - 1, h - bottom - py(v));
    });
    g.strokeStyle = '#555'; g.lineWidth = 2; g.beginPath();
    frame.xs.forEach((x, i) => { i ? g.lineTo(px(x), py(frame.density[i])) : g.moveTo(px(x), py(frame.density[i])); });
    g.stroke();
    // D(x) on its own [0, 1] scale (a critic's raw scores are scaled to the plot's height).
    let low = 0, high = 1;
    if (!frame.probabilities) { low = Math.min(...frame.d_curve); high = Math.max(...frame.d_curve); if (high - low < 1e-9) high = low + 1; }
    const pd = v => h - bottom - (v - low) / (high - low) * (h - bottom - top);
    g.strokeStyle = '#e07020'; g.lineWidth = 2; g.beginPath();
    frame.xs.forEach((x, i) => { i ? g.lineTo(px(x), pd(frame.d_curve[i])) : g.moveTo(px(x), pd(frame.d_curve[i])); });
    g.stroke();
    if (frame.probabilities) { g.setLineDash([4, 4]); g.strokeStyle = '#e0702088'; g.beginPath(); g.moveTo(left, pd(0.5)); g.lineTo(w - 10, pd(0.5)); g.stroke(); g.setLineDash([]); }
    g.fillStyle = '#333'; g.font = '12px system-ui, sans-serif';
    for (let x = Math.ceil(frame.low); x <= frame.high; x++) g.fillText(String(x), px(x) - 4, h - 8);
    g.fillText(`${frame.loss}, step ${frame.step}: target (grey), generated (purple), ${frame.probabilities ? 'D(x) (orange, dashed at ½)' : 'critic score (orange, scaled)'}`, left, 14);
    canvas.dataset.step = String(frame.step);
    $('arena-step-count').textContent = frame.step;
    $('arena-w1').textContent = Charts.format(frame.metrics.w1);
    $('arena-mean').textContent = Charts.format(frame.metrics.generated_mean);
    $('arena-std').textContent = Charts.format(frame.metrics.generated_std);
  }
  function record(frame) {
    if (history.step.length && history.step[history.step.length - 1] === frame.step) return;
    history.step.push(frame.step); history.d.push(frame.metrics.d_loss); history.g.push(frame.metrics.g_loss); history.w1.push(frame.metrics.w1);
    if (history.step.length > 3000) for (const k in history) history[k].splice(0, 1000);
    Charts.lines($('arena-chart'), [
      { name: 'D loss', xs: history.step, ys: history.d }, { name: 'G loss', xs: history.step, ys: history.g },
      { name: 'W₁ to target', xs: history.step, ys: history.w1 },
    ], { title: 'losses and distance', xLabel: 'step' });
  }

  $('arena-start').onclick = () => session.control({ action: 'play' });
  $('arena-pause').onclick = () => session.control({ action: 'pause' });
  $('arena-step').onclick = () => session.control({ action: 'step', steps: 1 });
  $('arena-reset').onclick = reset;
  for (const id of ['arena-lr-d', 'arena-lr-g']) $(id).onchange = () => session.control({ action: 'learning-rates', lr_d: numberOf('arena-lr-d'), lr_g: numberOf('arena-lr-g') });
  $('arena-loss').onchange = () => { $('arena-n-critic').value = $('arena-loss').value === 'wgan-gp' ? 5 : 1; reset(); };
  for (const id of ['arena-target', 'arena-n-critic']) $(id).addEventListener('change', reset);
  return { enter: reset, leave: () => session.close() };
})();

// ---------------------------------------------------------------- latent walker
const walker = (() => {
  let busy = false, again = false;

  function paint(canvas, image, x0, size) {
    const g = canvas.getContext('2d');
    const small = document.createElement('canvas');
    small.width = image.width; small.height = image.height;
    const data = new ImageData(image.width, image.height);
    const plane = image.width * image.height;
    for (let i = 0; i < plane; i++) {
      const r = image.pixels[i], gg = image.channels === 3 ? image.pixels[plane + i] : r, b = image.channels === 3 ? image.pixels[2 * plane + i] : r;
      data.data[4 * i] = r; data.data[4 * i + 1] = gg; data.data[4 * i + 2] = b; data.data[4 * i + 3] = 255;
    }
    small.getContext('2d').putImageData(data, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(small, x0, 0, size, size);
  }

  function query(t) {
    const q = new URLSearchParams({ run: $('walker-run').value, a: $('walker-a').value, b: $('walker-b').value, t: String(t), path: $('walker-path').value, label: $('walker-label').value });
    return `/api/walker/decode?${q}`;
  }

  async function update() {
    if (!$('walker-run').value) return;
    if (busy) { again = true; return; }
    busy = true;
    try {
      const t = numberOf('walker-t');
      $('walker-t-value').textContent = t.toFixed(2);
      const image = await api(query(t));
      paint($('walker-canvas'), image, 0, 280);
      $('walker-canvas').dataset.t = String(t);
      showError('walker-error', null);
    } catch (e) {
      showError('walker-error', e);
    } finally {
      busy = false;
      if (again) { again = false; update(); }
    }
  }

  async function strip() {
    if (!$('walker-run').value) return;
    try {
      for (let k = 0; k < 10; k++) paint($('walker-strip'), await api(query(k / 9)), k * 70, 70);
    } catch (e) { showError('walker-error', e); }
  }

  async function enter() {
    try {
      const { models } = await api('/api/walker/models');
      const select = $('walker-run'), current = select.value;
      select.innerHTML = '';
      for (const m of models) {
        const option = document.createElement('option');
        option.value = m.name; option.textContent = `${m.name} (${m.family}, ${m.data})`;
        select.appendChild(option);
      }
      if (models.some(m => m.name === current)) select.value = current;
      if (!models.length) showError('walker-error', 'no finished image GAN or VAE run under the runs root; train one, e.g. latent train mnist-vae-mlp');
      await update();
      await strip();
    } catch (e) { showError('walker-error', e); }
  }

  $('walker-t').addEventListener('input', update);
  for (const id of ['walker-run', 'walker-a', 'walker-b', 'walker-path', 'walker-label']) $(id).addEventListener('change', () => { update(); strip(); });
  return { enter, leave: () => {} };
})();

// ---------------------------------------------------------------- 3x3 autoencoder
const patterns = (() => {
  const cells = [0, 0, 0, 0, 1, 0, 0, 0, 0];
  const session = live('patterns', 'patterns-error', frame => {
    $('patterns-step-count').textContent = frame.step;
    $('patterns-loss').textContent = frame.metrics.loss != null ? Charts.format(frame.metrics.loss) : '–';
    drawCodes(frame);
    if (!ready) { ready = true; encode(); }
  });
  let ready = false;

  function paintCells(id, values) {
    [...$(id).children].forEach((cell, i) => { const v = Math.round(255 * (1 - values[i])); cell.style.background = `rgb(${v}, ${v}, ${v})`; cell.dataset.value = values[i].toFixed(3); });
  }
  for (const id of ['patterns-grid', 'patterns-recon']) for (let i = 0; i < 9; i++) $(id).appendChild(document.createElement('div'));
  [...$('patterns-grid').children].forEach((cell, i) => cell.addEventListener('click', () => { cells[i] = 1 - cells[i]; paintCells('patterns-grid', cells); encode(); }));
  paintCells('patterns-grid', cells);
  paintCells('patterns-recon', Array(9).fill(0));

  function showCode(code) {
    code.forEach((v, i) => { $(`patterns-code-${i}`).value = v; });
    $('patterns-code-text').textContent = `(${code.map(v => v.toFixed(3)).join(', ')})`;
  }
  async function encode() {
    if (!session.id) return;
    try {
      const answer = await api(`/api/live/${session.id}/encode`, { method: 'POST', body: { pixels: cells } });
      showCode(answer.code); paintCells('patterns-recon', answer.reconstruction);
    } catch (e) { showError('patterns-error', e); }
  }
  async function decode() {
    if (!session.id) return;
    const code = [0, 1, 2].map(i => numberOf(`patterns-code-${i}`));
    $('patterns-code-text').textContent = `(${code.map(v => v.toFixed(3)).join(', ')})`;
    try {
      const answer = await api(`/api/live/${session.id}/decode`, { method: 'POST', body: { code } });
      paintCells('patterns-recon', answer.reconstruction);
    } catch (e) { showError('patterns-error', e); }
  }
  function drawCodes(frame) {
    const canvas = $('patterns-codes'), g = canvas.getContext('2d'), w = canvas.width;
    g.fillStyle = '#fff'; g.fillRect(0, 0, w, w);
    g.strokeStyle = '#ddd'; g.beginPath(); g.moveTo(w / 2, 0); g.lineTo(w / 2, w); g.moveTo(0, w / 2); g.lineTo(w, w / 2); g.stroke();
    g.font = '11px system-ui, sans-serif';
    for (let k = 0; k < frame.names.length; k++) {
      // tanh codes fill [-1, 1]; the view reaches a little beyond, so codes at the edge stay visible.
      const x = (frame.codes[3 * k] + 1.2) / 2.4 * w, y = (1 - (frame.codes[3 * k + 1] + 1.2) / 2.4) * w;
      g.fillStyle = Charts.palette[k % 8]; g.beginPath(); g.arc(x, y, 4, 0, 7); g.fill();
      g.fillStyle = '#333'; g.fillText(frame.names[k], x + 5, y - 4);
    }
    g.fillStyle = '#555'; g.fillText('codes of the ten patterns (z₁, z₂)', 6, 12);
  }
  for (let i = 0; i < 3; i++) $(`patterns-code-${i}`).addEventListener('input', decode);
  $('patterns-play').onclick = () => session.control({ action: 'play' });
  $('patterns-pause').onclick = () => session.control({ action: 'pause' });
  return { enter: () => { ready = false; session.start({ steps_per_frame: 50 }); }, leave: () => session.close() };
})();

// ---------------------------------------------------------------- runs browser
const runs = (() => {
  let current = null, source = null, columns = {}, compare = null, offset = 0;

  function append(target, extra) {
    const count = (extra.step || []).length;
    if (!count) return;
    const names = new Set([...Object.keys(target), ...Object.keys(extra)]);
    const before = (target.step || []).length;
    for (const name of names) {
      target[name] = target[name] || Array(before).fill(null);
      target[name].push(...(extra[name] || Array(count).fill(null)));
    }
  }

  // One small chart per figure; the diagnostics the issue names come first.
  const preferred = ['d_loss', 'g_loss', 'loss', 'recon', 'kl', 'd_real', 'd_fake', 'wasserstein', 'gp', 'r1'];
  function drawCharts() {
    const box = $('run-charts');
    const names = Object.keys(columns).filter(n => n !== 'step');
    names.sort((a, b) => (preferred.indexOf(a) + 1 || 99) - (preferred.indexOf(b) + 1 || 99) || a.localeCompare(b));
    const pairs = [['d_real', 'd_fake']];
    const shown = names.filter(n => !(n === 'd_fake' && names.includes('d_real')));
    while (box.children.length > shown.length) box.removeChild(box.lastChild);
    shown.forEach((name, i) => {
      let canvas = box.children[i];
      if (!canvas) { canvas = document.createElement('canvas'); canvas.width = 400; canvas.height = 210; canvas.className = 'plot'; box.appendChild(canvas); }
      const group = pairs.find(p => p[0] === name) || [name];
      const series = [];
      // Legends name the run (and, for the pair, the score); the figure is the chart's title.
      const label = (run, n) => group.length > 1 ? `${run} ${n === 'd_real' ? 'D(x)' : 'D(G(z))'}` : run;
      group.forEach((n, k) => {
        series.push({ name: label(current, n), xs: columns.step, ys: columns[n] || [], color: Charts.palette[k] });
        if (compare && compare[n]) series.push({ name: label(compare.__name, n), xs: compare.step, ys: compare[n], color: Charts.palette[k + 2], dashed: true });
      });
      canvas.dataset.figure = name;
      canvas.dataset.series = String(series.length);
      Charts.lines(canvas, series, { title: name === 'd_real' ? 'D(x) and D(G(z))' : name === 'wasserstein' ? 'Wasserstein estimate' : name === 'gp' ? 'gradient penalty' : name, xLabel: 'step', legend: true });
    });
  }

  function showImages(images) {
    const box = $('run-images');
    const key = images.join('|');
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = '';
    const big = document.createElement('img');
    const url = name => `/api/runs/${encodeURIComponent(current)}/file?path=${encodeURIComponent(name)}&v=${images.length}`;
    const main = images.includes('samples.png') ? 'samples.png' : images[images.length - 1];
    if (main) { big.src = url(main); big.alt = main; box.appendChild(big); box.appendChild(document.createElement('br')); }
    for (const name of images) {
      const thumb = document.createElement('img');
      thumb.className = 'thumb'; thumb.src = url(name); thumb.title = name; thumb.alt = name;
      thumb.onclick = () => { big.src = thumb.src; big.alt = name; };
      box.appendChild(thumb);
    }
  }

  function showEval(figures) {
    const table = $('run-eval');
    table.innerHTML = '';
    if (!figures) { table.innerHTML = '<tr><td>no eval.json yet (the run has not finished)</td></tr>'; return; }
    for (const [name, value] of Object.entries(figures)) {
      const row = table.insertRow();
      row.insertCell().textContent = name;
      row.insertCell().textContent = typeof value === 'number' ? Charts.format(value) : JSON.stringify(value);
    }
  }

  function showEvals(evals) {
    const box = $('run-evals');
    box.innerHTML = '';
    for (const name of Object.keys(evals || {}).filter(n => n !== 'step')) {
      const canvas = document.createElement('canvas'); canvas.width = 300; canvas.height = 170; canvas.className = 'plot';
      box.appendChild(canvas);
      Charts.lines(canvas, [{ name, xs: evals.step, ys: evals[name] }], { title: `${name} during training`, xLabel: 'step' });
    }
  }

  function showHealth(lines) {
    const list = $('run-health');
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line.message || line.diagnosis || line.text ? `step ${line.step ?? '?'}: ${line.message || line.diagnosis || line.text}` : JSON.stringify(line);
      list.appendChild(item);
    }
    if (!list.children.length) list.innerHTML = '<li>no health.jsonl in this run</li>';
  }

  async function open(name) {
    if (source) { source.close(); source = null; }
    current = name; columns = {}; compare = null;
    $('runs-compare').value = '';
    for (const row of $('runs-list').tBodies[0].rows) row.classList.toggle('selected', row.dataset.run === name);
    const detail = await api(`/api/runs/${encodeURIComponent(name)}`);
    $('run-detail').hidden = false;
    $('run-title').textContent = name;
    $('run-description').textContent = (detail.recipe && detail.recipe.description) || '';
    $('run-recipe').textContent = JSON.stringify(detail.recipe, null, 2);
    $('run-health').innerHTML = '';
    showHealth(detail.health || []);
    showEval(detail.eval);
    showEvals(detail.evals);
    showImages(detail.images || []);
    const metrics = await api(`/api/runs/${encodeURIComponent(name)}/metrics?max=3000`);
    columns = metrics.columns; offset = metrics.offset;
    drawCharts();
    // Follow the run: new lines arrive a few times a second while it trains.
    source = new EventSource(`/api/runs/${encodeURIComponent(name)}/events?from=${offset}`);
    const evals = detail.evals || {};
    source.onmessage = event => {
      const tick = JSON.parse(event.data);
      if (current !== name) return;
      append(columns, tick.metrics);
      if ((tick.metrics.step || []).length) drawCharts();
      if (tick.images) showImages(tick.images);
      if (tick.eval) showEval(tick.eval);
      if ((tick.evals.step || []).length) { append(evals, tick.evals); showEvals(evals); }
      if (tick.health.length) {
        if (!(detail.health || []).length) $('run-health').innerHTML = '';
        detail.health = [...(detail.health || []), ...tick.health];
        showHealth(tick.health);
      }
      $('run-detail').dataset.frames = String(tick.frame);
    };
  }

  async function setCompare(name) {
    compare = null;
    if (name) {
      const metrics = await api(`/api/runs/${encodeURIComponent(name)}/metrics?max=3000`);
      compare = metrics.columns; compare.__name = name;
    }
    drawCharts();
  }

  async function enter() {
    const list = await api('/api/runs');
    $('runs-root').textContent = list.root;
    const body = $('runs-list').tBodies[0];
    body.innerHTML = '';
    const select = $('runs-compare');
    select.innerHTML = '<option value="">(none)</option>';
    for (const run of list.runs) {
      const row = body.insertRow();
      row.dataset.run = run.name;
      for (const value of [run.name, run.family, run.data, run.steps, run.finished ? 'finished' : 'running or stopped']) row.insertCell().textContent = value ?? '';
      row.onclick = () => open(run.name);
      const option = document.createElement('option'); option.value = run.name; option.textContent = run.name; select.appendChild(option);
    }
    if (!list.runs.length) body.innerHTML = '<tr><td colspan="5">no run folders yet: train one with latent train wgangp8g</td></tr>';
    if (current && list.runs.some(r => r.name === current)) open(current);
  }
  $('runs-compare').onchange = () => setCompare($('runs-compare').value);
  return { enter, leave: () => { if (source) { source.close(); source = null; } } };
})();

// ---------------------------------------------------------------- navigation
const pages = { runs, modes, arena, walker, patterns };
let active = null;
function navigate() {
  const name = (location.hash || '#runs').slice(1).split('/')[0];
  const page = pages[name] ? name : 'runs';
  if (active === page) return;
  if (active) pages[active].leave();
  active = page;
  for (const key of Object.keys(pages)) {
    $(`page-${key}`).hidden = key !== page;
    $(`nav-${key}`).classList.toggle('active', key === page);
  }
  Promise.resolve(pages[page].enter()).catch(e => { $('status').textContent = e.message; });
}
window.addEventListener('hashchange', navigate);
navigate();
setInterval(async () => {
  try { const s = await api('/api/status'); $('status').textContent = `live sessions ${s.live_sessions} / ${s.live_capacity}`; } catch (e) { $('status').textContent = e.message; }
}, 3000);
