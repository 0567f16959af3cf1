'use strict';
// Hand-drawn canvas charts: line charts with axes and a legend. No library, nothing fetched.

const Charts = (() => {
  const palette = ['#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

  function niceTicks(low, high, count) {
    if (!(high > low)) { high = low + 1; }
    const span = high - low;
    const step0 = Math.pow(10, Math.floor(Math.log10(span / count)));
    const step = [1, 2, 5, 10].map(m => m * step0).find(s => span / s <= count) || step0 * 10;
    const ticks = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(t);
    return ticks;
  }

  function format(value) {
    const a = Math.abs(value);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return value.toExponential(1);
    return Number(value.toPrecision(4)).toString();
  }

  // series: [{ name, xs, ys, color?, dashed? }]; options: { title, xLabel, yLow?, yHigh? }
  function lines(canvas, series, options = {}) {
    const g = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    const left = 58, right = 10, top = 24, bottom = 30;
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    let xLow = Infinity, xHigh = -Infinity, yLow = Infinity, yHigh = -Infinity;
    for (const s of series) {
      for (let i = 0; i < s.xs.length; i++) {
        const x = s.xs[i], y = s.ys[i];
        if (x == null || y == null || !isFinite(x) || !isFinite(y)) continue;
        xLow = Math.min(xLow, x); xHigh = Math.max(xHigh, x);
        yLow = Math.min(yLow, y); yHigh = Math.max(yHigh, y);
      }
    }
    if (options.yLow != null) yLow = options.yLow;
    if (options.yHigh != null) yHigh = options.yHigh;
    g.fillStyle = '#222';
    g.font = '12px system-ui, sans-serif';
    g.fillText(options.title || '', left, 15);
    if (!isFinite(xLow)) {
      g.fillStyle = '#888';
      g.fillText('no data yet', left + 10, top + 30);
      return;
    }
    if (xHigh === xLow) xHigh = xLow + 1;
    if (yHigh === yLow) { yHigh += 0.5; yLow -= 0.5; }
    const pad = (yHigh - yLow) * 0.05;
    if (options.yLow == null) yLow -= pad;
    if (options.yHigh == null) yHigh += pad;
    const px = x => left + (x - xLow) / (xHigh - xLow) * (w - left - right);
    const py = y => top + (1 - (y - yLow) / (yHigh - yLow)) * (h - top - bottom);
    g.strokeStyle = '#ddd';
    g.fillStyle = '#555';
    g.lineWidth = 1;
    for (const t of niceTicks(yLow, yHigh, 5)) {
      g.beginPath(); g.moveTo(left, py(t)); g.lineTo(w - right, py(t)); g.stroke();
      g.fillText(format(t), 4, py(t) + 4);
    }
    for (const t of niceTicks(xLow, xHigh, 6)) {
      g.fillText(format(t), px(t) - 10, h - bottom + 14);
    }
    g.fillText(options.xLabel || '', w - right - 40, h - 4);
    g.strokeStyle = '#999';
    g.strokeRect(left, top, w - left - right, h - top - bottom);
    let legendX = left + 4;
    series.forEach((s, k) => {
      const color = s.color || palette[k % palette.length];
      g.strokeStyle = color;
      g.lineWidth = 1.5;
      g.setLineDash(s.dashed ? [5, 3] : []);
      g.beginPath();
      let drawing = false;
      for (let i = 0; i < s.xs.length; i++) {
        const x = s.xs[i], y = s.ys[i];
        if (x == null || y == null || !isFinite(x) || !isFinite(y)) { drawing = false; continue; }
        const cy = Math.max(top, Math.min(h - bottom, py(y)));
        if (drawing) g.lineTo(px(x), cy); else g.moveTo(px(x), cy);
        drawing = true;
      }
      g.stroke();
      g.setLineDash([]);
      if (series.length > 1 || options.legend) {
        g.fillStyle = color;
        g.fillRect(legendX, top + 4, 10, 3);
        g.fillStyle = '#333';
        g.fillText(s.name, legendX + 13, top + 10);
        legendX += 20 + g.measureText(s.name).width;
      }
    });
  }

  return { lines, palette, format };
})();
