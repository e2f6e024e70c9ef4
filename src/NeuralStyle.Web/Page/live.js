// The live view's page: draws what the run's event stream (/events) says. Hand-written, no build step.
'use strict';

(() => {
  const token = document.querySelector('meta[name="stop-token"]').content;
  const byId = id => document.getElementById(id);
  // Loss rows as the server sends them: [scale, iteration, seconds, content, style, tv, total]; the colours are
  // --plot's (LossTerm.All), so the page and the PNG read alike.
  const terms = [
    { name: 'content', column: 3, color: '#0072B2' },
    { name: 'style', column: 4, color: '#D55E00' },
    { name: 'tv', column: 5, color: '#009E73' },
    { name: 'total', column: 6, color: '#3B1C5A' },
  ];
  const terminal = new Set(['finished', 'stopped', 'failed', 'cancelled']);
  const losses = [];
  let xAxis = 'iteration';
  let drawPending = false;
  let ended = false;
  let shownVersion = 0;

  const clock = seconds => {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return '–';
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const two = n => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
  };
  const number = v => (v === null || v === undefined) ? '–' : Number(v).toPrecision(6);

  function showProgress(p) {
    if (!p) return;
    byId('scale').textContent = `${p.scale} of ${p.scales}` + (p.width ? ` (${p.width}×${p.height})` : '');
    byId('iteration').textContent = p.total ? `${p.iteration} of ${p.total}` : '–';
    byId('elapsed').textContent = clock(p.elapsed);
    byId('eta').textContent = clock(p.eta);
    byId('run-eta').textContent = clock(p.runEta);
    const bar = byId('bar');
    bar.max = p.total || 1;
    bar.value = Math.max(0, (p.iteration || 1) - 1);
  }

  function showPicture(picture) {
    if (!picture || picture.version <= shownVersion) return;
    shownVersion = picture.version;
    const img = byId('picture');
    const caption = `${picture.kind} picture, scale ${picture.scale}, iteration ${picture.iteration} (${picture.width}×${picture.height})`;
    img.onload = () => {
      img.hidden = false;
      img.dataset.version = String(picture.version);
      img.dataset.kind = picture.kind;
      byId('picture-caption').textContent = caption;
    };
    img.src = `/picture.png?v=${picture.version}`;
  }

  function showStatus(status) {
    if (!status) return;
    const element = byId('status');
    element.dataset.state = status.state;
    element.textContent = status.message ? `${status.state}: ${status.message}` : status.state;
    byId('stop').disabled = status.state !== 'running';
    if (status.output) {
      byId('files').textContent = `Picture: ${status.output}  Manifest: ${status.manifest}`;
    }
    if (terminal.has(status.state)) {
      ended = true;
      events.close();
    }
  }

  function showLatestLosses(row) {
    byId('loss-content').textContent = number(row[3]);
    byId('loss-style').textContent = number(row[4]);
    byId('loss-tv').textContent = number(row[5]);
    byId('loss-total').textContent = number(row[6]);
  }

  // The options as name-value rows: nested objects become dotted names.
  function showOptions(options) {
    const list = byId('options');
    list.replaceChildren();
    const add = (name, value) => {
      const row = document.createElement('div');
      row.className = 'option';
      const key = document.createElement('span');
      key.textContent = name;
      const text = document.createElement('span');
      text.textContent = value;
      row.append(key, text);
      list.append(row);
    };
    const walk = (prefix, value) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
      } else if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) {
        add(prefix, Array.isArray(value) ? value.map(v => typeof v === 'object' ? JSON.stringify(v) : v).join(', ') : String(value));
      }
    };
    walk('', options);
  }

  function schedulePlot() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; drawPlot(); });
  }

  // Losses on a log scale against the iteration (scales one after the other, a dashed line where each begins) or
  // against time.
  function drawPlot() {
    const canvas = byId('plot');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 720, height = Math.round(Math.min(width / 2, 380));
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.height = `${height}px`;
    // How many rows the plot shows, for whoever checks the page (the browser tests).
    canvas.dataset.points = String(losses.length);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '12px system-ui, sans-serif';
    const left = 64, right = 12, top = 24, bottom = 36;
    const w = width - left - right, h = height - top - bottom;

    const offsets = new Map();
    const scaleStarts = [];
    let offset = 0;
    const lastOfScale = new Map();
    for (const row of losses) lastOfScale.set(row[0], Math.max(lastOfScale.get(row[0]) || 0, row[1]));
    for (const scale of [...lastOfScale.keys()].sort((a, b) => a - b)) {
      offsets.set(scale, offset);
      if (offset > 0) scaleStarts.push({ scale, at: offset });
      offset += lastOfScale.get(scale);
    }
    const xOf = row => xAxis === 'time' ? row[2] : offsets.get(row[0]) + row[1];

    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const row of losses) {
      const x = xOf(row);
      xMin = Math.min(xMin, x); xMax = Math.max(xMax, x);
      for (const term of terms) {
        const v = row[term.column];
        if (v > 0 && isFinite(v)) { yMin = Math.min(yMin, v); yMax = Math.max(yMax, v); }
      }
    }

    g.strokeStyle = '#999';
    g.strokeRect(left, top, w, h);
    g.fillStyle = '#444';
    g.textAlign = 'center';
    g.fillText(xAxis === 'time' ? 'seconds' : 'iteration', left + w / 2, height - 6);
    if (!isFinite(yMin)) {
      g.fillText('no losses yet', left + w / 2, top + h / 2);
      return;
    }
    if (xMax === xMin) xMax = xMin + 1;
    // At most eight decades: a term that starts near zero (the content loss of a run started from the content)
    // would otherwise flatten every other curve; lower values are drawn on the bottom edge.
    let hi = Math.ceil(Math.log10(yMax)), lo = Math.max(Math.floor(Math.log10(yMin)), hi - 8);
    if (hi === lo) hi = lo + 1;
    const px = x => left + (x - xMin) / (xMax - xMin) * w;
    const py = v => top + h - (Math.max(Math.log10(v), lo) - lo) / (hi - lo) * h;

    // Powers of ten on the y axis, a few round numbers on the x axis.
    g.textAlign = 'right';
    g.strokeStyle = '#eee';
    for (let e = lo; e <= hi; e++) {
      const y = py(Math.pow(10, e));
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + w, y); g.stroke();
      g.fillText(`1e${e}`, left - 6, y + 4);
    }
    g.textAlign = 'center';
    const step = Math.pow(10, Math.floor(Math.log10((xMax - xMin) / 4 || 1)));
    const tick = [1, 2, 5, 10].map(k => k * step).find(s => (xMax - xMin) / s <= 6) || step * 10;
    for (let x = Math.ceil(xMin / tick) * tick; x <= xMax; x += tick) {
      g.fillText(String(+x.toPrecision(6)), px(x), top + h + 16);
    }

    if (xAxis === 'iteration') {
      g.setLineDash([4, 4]);
      g.strokeStyle = '#888';
      g.textAlign = 'left';
      for (const start of scaleStarts) {
        const x = px(start.at);
        g.beginPath(); g.moveTo(x, top); g.lineTo(x, top + h); g.stroke();
        g.fillText(`scale ${start.scale}`, x + 4, top + 12);
      }
      g.setLineDash([]);
    }

    for (const term of terms) {
      g.strokeStyle = term.color;
      g.lineWidth = term.name === 'total' ? 2 : 1.5;
      g.beginPath();
      let drawing = false, previousScale = null;
      for (const row of losses) {
        const v = row[term.column];
        if (!(v > 0 && isFinite(v)) || row[0] !== previousScale) { drawing = false; }
        previousScale = row[0];
        if (!(v > 0 && isFinite(v))) continue;
        const x = px(xOf(row)), y = py(v);
        if (drawing) g.lineTo(x, y); else g.moveTo(x, y);
        drawing = true;
      }
      g.stroke();
    }
    g.lineWidth = 1;

    // The legend, top right.
    g.textAlign = 'left';
    let lx = left + w - 4 * 72;
    for (const term of terms) {
      g.fillStyle = term.color;
      g.fillRect(lx, 8, 14, 4);
      g.fillStyle = '#444';
      g.fillText(term.name, lx + 18, 14);
      lx += 72;
    }
  }

  const events = new EventSource('/events');
  events.addEventListener('state', e => {
    const state = JSON.parse(e.data);
    showOptions(state.options);
    showProgress(state.progress);
    losses.length = 0;
    for (const row of state.losses) losses.push(row);
    if (losses.length) showLatestLosses(losses[losses.length - 1]);
    schedulePlot();
    showPicture(state.picture);
    showStatus(state.status);
  });
  events.addEventListener('options', e => showOptions(JSON.parse(e.data)));
  events.addEventListener('progress', e => showProgress(JSON.parse(e.data)));
  events.addEventListener('loss', e => {
    const row = JSON.parse(e.data);
    losses.push(row);
    showLatestLosses(row);
    schedulePlot();
  });
  events.addEventListener('picture', e => showPicture(JSON.parse(e.data)));
  events.addEventListener('status', e => showStatus(JSON.parse(e.data)));
  events.onerror = () => {
    if (ended) return;
    const element = byId('status');
    element.dataset.state = 'lost';
    element.textContent = 'the connection to the run is lost (the program may have ended); retrying…';
    byId('stop').disabled = true;
  };

  for (const radio of document.querySelectorAll('input[name="x-axis"]')) {
    radio.addEventListener('change', () => { xAxis = radio.value; schedulePlot(); });
  }
  window.addEventListener('resize', schedulePlot);

  byId('stop').addEventListener('click', async () => {
    byId('stop').disabled = true;
    try {
      const response = await fetch('/stop', { method: 'POST', headers: { 'X-NeuralStyle-Stop': token } });
      if (!response.ok) throw new Error(await response.text());
    } catch (error) {
      const element = byId('status');
      element.dataset.state = 'failed';
      element.textContent = `the stop was not taken: ${error.message}`;
      byId('stop').disabled = false;
    }
  });
})();
