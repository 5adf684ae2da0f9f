// The operator's page: one server-sent event stream (api/events) carries the coordinator's overview as it
// is read; the page only lays it out. Plain DOM and SVG, nothing fetched from elsewhere.
'use strict';

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const fields = new Map([...document.querySelectorAll('[data-field]')].map(el => [el.dataset.field, el]));
let history = [];
let historyMs = 600000;
let shown = -1; // the sequence of the view on the page: an older one that arrives late is not drawn
let canAct = false; // whether this node takes operator actions (a token is set)
let pickedJob = null; // the job whose producers and dead letters are shown (api/overview/jobs/{id})
let pickedSignature = null; // its figures when they were read: a change reads them again

function set(field, text) {
  const el = fields.get(field);
  if (el && el.textContent !== text) el.textContent = text;
}

function count(n) { return n === null || n === undefined ? '—' : numbers.format(n); }
function rate(n) { return n < 10 ? decimals.format(n) : numbers.format(n); }
function ms(n) { return n >= 1000 ? `${decimals.format(n / 1000)} s` : `${n < 10 ? n.toFixed(2) : decimals.format(n)} ms`; }

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return 'now';
  const s = Math.round(seconds);
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

function render(view) {
  document.body.dataset.sequence = view.sequence;
  document.body.dataset.atMs = view.atMs;
  historyMs = view.historyMs;
  const phase = document.getElementById('phase');
  phase.className = `phase ${view.phase ?? ''}`;
  set('phase', view.phase === 'ShutDown' ? 'shut down' : (view.phase ?? 'waiting for the coordinator'));
  set('eta', view.phase === 'Joined' ? 'done' : view.phase === 'Producing' ? 'after the producers finish' : duration(view.etaSeconds));
  set('updated', view.journalProblem ? `journal failing: ${view.journalProblem}`
    : view.atMs ? new Date(view.atMs).toLocaleTimeString('en-GB') + (view.answering ? '' : ' (coordinator silent)') : '—');
  const s = view.status;
  if (s) {
    for (const key of ['size', 'inFlight', 'unfinished', 'accepted', 'completed', 'deadLettered', 'discarded', 'redelivered', 'producersDone', 'expectedProducers']) {
      set(`status.${key}`, count(s[key]));
    }
  }
  set('putRate', rate(view.putRate));
  set('completionRate', rate(view.completionRate));
  const l = view.latency;
  set('latency.count', count(l.count));
  set('latency.windowSeconds', count(l.windowSeconds));
  for (const key of ['p50Ms', 'p90Ms', 'p99Ms', 'maxMs']) set(`latency.${key}`, l.count ? ms(l[key]) : '—');
  const gone = view.consumers.filter(c => !c.connected).length;
  set('consumers.count', count(view.consumers.length - gone) + ' connected' + (gone ? `, ${count(gone)} gone` : ''));
  set('producers.count', count(view.producers.length));
  set('deadLetters.total', count(view.deadLetters.total));
  rows('consumers', view.consumers, c => [shortPath(c.consumer) + (c.connected ? '' : ' (gone)'), count(c.inHand), count(c.completed), rate(c.rate)], c => c.consumer);
  rows('producers', view.producers, p => [p.producerId, p.node || '—', p.phase.toLowerCase(), count(p.accepted), rate(p.rate)], p => p.producerId);
  deadLetters(view);
  jobs(view.jobs);
  chart('chart-depth', [history.map(p => [p.atMs, p.queued]), history.map(p => [p.atMs, p.unfinished])]);
  chart('chart-rate', [history.map(p => [p.atMs, p.putRate]), history.map(p => [p.atMs, p.completionRate])]);
}

// akka.tcp://actor-pipeline@10.0.0.5:4053/user/consumers/consumer-3 -> 10.0.0.5:4053 consumer-3
function shortPath(path) {
  const at = path.indexOf('@');
  const node = at < 0 ? 'this node' : path.slice(at + 1, path.indexOf('/', at));
  return `${path.slice(path.lastIndexOf('/') + 1)} @ ${node}`;
}

function rows(id, items, cells, key) {
  const body = document.querySelector(`#${id} tbody`);
  const text = items.map(i => cells(i).join('\u0001')).join('\u0002');
  if (body.dataset.text === text) return; // nothing changed: keep the selection and the scroll
  body.dataset.text = text;
  body.replaceChildren(...items.map(item => {
    const tr = document.createElement('tr');
    tr.dataset.key = key(item);
    cells(item).forEach((value, i) => {
      const td = document.createElement('td');
      td.textContent = value;
      if (i > 0 && /^[\d,.]+$/.test(value)) td.className = 'num';
      tr.append(td);
    });
    return tr;
  }));
}

function deadLetters(view) {
  canAct = view.requeueAllowed;
  const body = document.querySelector('#dead-letters tbody');
  const text = JSON.stringify(view.deadLetters.newest) + view.requeueAllowed;
  document.getElementById('requeue-all').disabled = !view.requeueAllowed || view.deadLetters.total === 0;
  document.getElementById('discard-all').disabled = !view.requeueAllowed || view.deadLetters.total === 0;
  document.getElementById('end-run').disabled = !view.requeueAllowed || view.status === null || view.status.endedByOperator || view.phase === 'Joined';
  document.getElementById('token').disabled = !view.requeueAllowed;
  document.getElementById('token').placeholder = view.requeueAllowed ? 'dashboard token' : 'read-only: no token set on this node';
  if (body.dataset.text === text) return;
  body.dataset.text = text;
  body.replaceChildren(...view.deadLetters.newest.map(d => deadLetterRow(d, view.requeueAllowed)));
}

// One dead letter with its requeue and discard buttons: the run's newest, or one job's.
function deadLetterRow(d, allowed) {
  const tr = document.createElement('tr');
  tr.dataset.key = d.itemId;
  for (const [value, css] of [[count(d.itemId), 'num'], [count(d.attempts), 'num'], [d.error, 'err'], [d.payloadBytes > d.payloadHex.length / 2 ? `${d.payloadHex}… (${count(d.payloadBytes)} bytes)` : d.payloadHex, 'hex']]) {
    const td = document.createElement('td');
    td.textContent = value;
    td.className = css;
    tr.append(td);
  }
  const td = document.createElement('td');
  const button = document.createElement('button');
  button.className = 'small';
  button.textContent = 'requeue';
  button.disabled = !allowed;
  button.addEventListener('click', () => requeue([d.itemId]));
  const discardButton = document.createElement('button');
  discardButton.className = 'small';
  discardButton.textContent = 'discard';
  discardButton.disabled = !allowed;
  discardButton.addEventListener('click', () => discard([d.itemId]));
  td.append(button, ' ', discardButton);
  tr.append(td);
  return tr;
}

// The jobs, when there are any besides the batch run's own ("run"): in Run mode the page is the run's page, as it was.
// The run's job is listed only once it has items: in Service mode it is always there, and always empty.
function jobs(j) {
  const section = document.getElementById('jobs-section');
  section.hidden = !j.jobs.some(job => job.jobId !== 'run');
  if (section.hidden) return;
  const unsettled = job => job.phase === 'Open' || job.phase === 'Closed';
  const idleRun = j.jobs.find(job => job.jobId === 'run' && job.accepted === 0);
  const listed = j.jobs.filter(job => job !== idleRun);
  const running = listed.filter(unsettled);
  const settled = listed.filter(job => !unsettled(job));
  set('jobs.unsettled', count(j.unsettled - (idleRun && unsettled(idleRun) ? 1 : 0)));
  set('jobs.settled', count(j.settled - (idleRun && !unsettled(idleRun) ? 1 : 0)));
  set('jobs.note', (j.answering ? '' : 'the coordinator did not list its jobs at the last reading; ')
    + (j.jobs.length < j.unsettled + j.settled ? `the newest ${count(running.length)} running and ${count(settled.length)} settled shown` : ''));
  const details = job => ({ button: 'dead letters', onClick: () => pickJob(job.jobId) });
  table('jobs', running, job => [
    job.jobId, job.name, { text: job.phase.toLowerCase(), css: job.phase },
    { progress: [job.settled, job.accepted], text: `${job.accepted ? Math.floor(100 * job.settled / job.accepted) : 0}%` },
    `${count(job.settled)} / ${count(job.accepted)}`, count(job.queued), count(job.inFlight), count(job.deadLettered), rate(job.rate),
    job.phase === 'Open' ? 'when closed' : duration(job.etaSeconds), details(job),
  ]);
  table('settled-jobs', settled, job => [
    job.jobId, job.name, { text: job.phase.toLowerCase(), css: job.phase }, count(job.accepted), count(job.completed), count(job.deadLettered),
    count(job.discarded), job.settledAtMs ? duration((job.settledAtMs - job.openedAtMs) / 1000) : '—', rate(job.rate),
    job.settledAtMs ? new Date(job.settledAtMs).toLocaleString('en-GB') : '—', details(job),
  ]);
  if (pickedJob !== null) {
    const picked = j.jobs.find(job => job.jobId === pickedJob);
    const signature = picked ? `${picked.phase} ${picked.accepted} ${picked.deadLettered} ${picked.discarded}` : 'not listed';
    if (signature !== pickedSignature) {
      pickedSignature = signature;
      loadJob(pickedJob);
    }
  }
}

// Rows of text cells, or of {text, css}, {progress: [value, max], text} or {button, onClick} cells; drawn again only when they change.
function table(id, items, cells) {
  const body = document.querySelector(`#${id} tbody`);
  const text = JSON.stringify(items) + pickedJob + canAct;
  if (body.dataset.text === text) return; // nothing changed: keep the selection and the scroll
  body.dataset.text = text;
  body.replaceChildren(...items.map(item => {
    const tr = document.createElement('tr');
    tr.dataset.key = item.jobId;
    if (item.jobId === pickedJob) tr.className = 'picked';
    cells(item).forEach((cell, i) => {
      const c = typeof cell === 'string' ? { text: cell } : cell;
      const td = document.createElement('td');
      if (c.progress) {
        const bar = document.createElement('progress');
        bar.max = Math.max(1, c.progress[1]);
        bar.value = c.progress[0];
        td.append(bar);
      }
      if (c.text !== undefined) td.append(c.text);
      if (c.button) {
        const button = document.createElement('button');
        button.className = 'small';
        button.type = 'button';
        button.textContent = c.button;
        button.addEventListener('click', c.onClick);
        td.append(button);
      }
      td.className = c.css ?? (i > 0 && /^[\d,.]+( \/ [\d,.]+)?$/.test(c.text ?? '') ? 'num' : '');
      tr.append(td);
    });
    return tr;
  }));
}

function pickJob(id) {
  pickedJob = id;
  pickedSignature = null; // read at the next update too, whatever it shows
  document.getElementById('job-detail').hidden = false;
  for (const tr of document.querySelectorAll('#jobs tbody tr, #settled-jobs tbody tr')) tr.classList.toggle('picked', tr.dataset.key === id);
  return loadJob(id);
}

// One job as the coordinator has it now: its producers and its dead letters (the oldest, up to a hundred).
async function loadJob(id) {
  set('job.id', id);
  const body = document.querySelector('#job-dead-letters tbody');
  try {
    const response = await fetch(`api/overview/jobs/${encodeURIComponent(id)}`);
    const answer = await response.json().catch(() => ({}));
    if (id !== pickedJob) return; // another job was picked meanwhile
    if (!response.ok) {
      set('job.summary', response.status === 404 ? 'the coordinator no longer knows it (settled and forgotten)' : `not read (${response.status}): ${answer.detail ?? response.statusText}`);
      set('job.producers', '');
      body.replaceChildren();
      return;
    }
    const job = answer.job;
    set('job.summary', `${job.name}, ${job.phase.toLowerCase()}: ${count(job.settled)} of ${count(job.accepted)} settled, ${count(job.deadLettered)} dead letters`
      + (answer.deadLetters.length < job.deadLettered ? ` (the oldest ${count(answer.deadLetters.length)} listed)` : ''));
    set('job.producers', answer.producers.length ? 'put by ' + answer.producers.map(p => `${p.producerId} (${count(p.accepted)})`).join(', ') : 'nothing put into it yet');
    body.replaceChildren(...answer.deadLetters.map(d => deadLetterRow(d, canAct)));
    document.getElementById('job-detail').dataset.loaded = id;
  } catch (error) {
    if (id === pickedJob) set('job.summary', `not read: ${error.message} (is the node still running?)`);
  }
}

// itemIds: the dead letters to put back; null: every one (said explicitly, as the API wants it).
function requeue(itemIds) {
  return operatorAction('api/dead-letters/requeue', itemIds === null ? { all: true } : { itemIds }, body => `requeued ${body.requeued}`);
}

// The same, for good: discarded dead letters count as settled and are never delivered again.
function discard(itemIds) {
  const what = itemIds === null ? 'every dead letter' : `dead letter ${itemIds.join(', ')}`;
  if (!confirm(`Discard ${what} for good? It will never be processed.`)) return Promise.resolve();
  return operatorAction('api/dead-letters/discard', itemIds === null ? { all: true } : { itemIds }, body => `discarded ${body.discarded}`);
}

function endRun() {
  if (!confirm('End the run now? Producers not yet done put nothing more; the run completes once the accepted items are settled.')) return Promise.resolve();
  return operatorAction('api/run/end', {}, body => body.alreadyOver
    ? 'the run was already over'
    : `run ended: ${body.producersEnded} producers ended early, ${body.unfinished} items still to settle`);
}

async function operatorAction(url, payload, describe) {
  const result = document.getElementById('requeue-result');
  const token = document.getElementById('token').value;
  sessionStorage.setItem('dashboard-token', token);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({}));
    result.className = response.ok ? 'done' : 'refused';
    result.textContent = response.ok ? describe(body) : `refused (${response.status}): ${body.detail ?? response.statusText}`;
  } catch (error) {
    result.className = 'refused';
    result.textContent = `not sent: ${error.message} (is the node still running?)`;
  }
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, text) {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// Two series on one time axis (the last historyMs), y from zero to a round maximum.
function chart(id, series) {
  const [w, h, left, bottom, top] = [640, 220, 52, 22, 8];
  const now = history.length ? history[history.length - 1].atMs : Date.now();
  // From the first point, so that a short run fills the chart; never more than the history kept.
  const span = Math.max(30000, Math.min(historyMs, history.length ? now - history[0].atMs : 0));
  const from = now - span;
  let peak = 1;
  for (const points of series) for (const [, v] of points) if (v > peak) peak = v; // a loop: a spread of 20,000 points may overflow the stack
  const magnitude = 10 ** Math.floor(Math.log10(peak));
  const max = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(m => m >= peak);
  const x = t => left + (w - left - 6) * (t - from) / span;
  const y = v => top + (h - top - bottom) * (1 - v / max);
  const parts = [];
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4;
    parts.push(svg('line', { class: 'axis', x1: left, x2: w - 6, y1: y(v), y2: y(v) }));
    parts.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v >= 1000 ? numbers.format(v) : decimals.format(v)));
  }
  const step = [10, 15, 30, 60, 120, 300, 600].map(s => s * 1000).find(s => span / s <= 6) ?? 600000;
  for (let t = 0; t <= span; t += step) {
    const label = t === 0 ? 'now' : t < 60000 ? `-${t / 1000} s` : `-${decimals.format(t / 60000)} min`;
    parts.push(svg('text', { x: x(now - t), y: h - 6, 'text-anchor': t === 0 ? 'end' : 'middle' }, label));
  }
  series.forEach((points, i) => {
    const d = points.filter(([t]) => t >= from).map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    if (d) parts.push(svg('path', { class: `s${i + 1}`, d }));
  });
  document.getElementById(id).replaceChildren(...parts);
}

function connection(state, text) {
  document.querySelector('.conn').className = `conn ${state}`;
  document.getElementById('conn-text').textContent = text;
  document.body.dataset.connection = state;
}

function connect() {
  const events = new EventSource('api/events');
  events.addEventListener('open', () => connection('live', 'live'));
  events.addEventListener('view', e => { const view = JSON.parse(e.data); history = view.history; shown = view.sequence; render(view); });
  events.addEventListener('update', e => {
    const view = JSON.parse(e.data);
    if (view.sequence < shown) return; // older than what the page shows (a full view may overtake updates)
    shown = view.sequence;
    const last = history.length ? history[history.length - 1].atMs : 0;
    history.push(...view.history.filter(p => p.atMs > last));
    const from = (history.length ? history[history.length - 1].atMs : 0) - historyMs;
    while (history.length && history[0].atMs < from) history.shift();
    render(view);
  });
  events.addEventListener('end', () => { events.close(); connection('ended', 'the node has stopped: the figures are the last it read'); });
  events.addEventListener('error', () => { if (events.readyState !== EventSource.CLOSED) connection('lost', 'reconnecting…'); });
}

document.getElementById('token').value = sessionStorage.getItem('dashboard-token') ?? '';
document.getElementById('requeue').addEventListener('submit', e => { e.preventDefault(); requeue(null); });
document.getElementById('discard-all').addEventListener('click', () => discard(null));
document.getElementById('end-run').addEventListener('click', () => endRun());
document.getElementById('job-close').addEventListener('click', () => {
  pickedJob = null;
  document.getElementById('job-detail').hidden = true;
  for (const tr of document.querySelectorAll('tr.picked')) tr.classList.remove('picked');
});
connect();
