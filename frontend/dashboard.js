// The dashboard (SPEC §5.4). The server renders the families table and the open alerts; this script
// makes them live over WS /ws/dashboard (live.js: reconnect, resync), sortable, filterable, and adds the
// acknowledge action and the throughput / lag / latency chart from the status frames.
// Data is only ever written with textContent / attributes, never innerHTML: family ids are user data.

import { connectLive, minute, second, text, timeElement } from './live.js';

const LEVEL_RANK = { none: 0, watch: 1, warning: 2, critical: 3 };
const TREND_ARROW = { rising: '▲', declining: '▼', stable: '▶' };

const table = document.getElementById('families');
const tbody = table.tBodies[0];
const count = document.getElementById('family-count');
const empty = document.querySelector('.empty');
const filterForm = document.getElementById('filters');
const filterText = document.getElementById('filter-text');
const filterLevel = document.getElementById('filter-level');

// ---- families table ------------------------------------------------------------------------------

function familyPath(id) {
  return `/families/${encodeURIComponent(id)}`;
}

function cell(className, value) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text(value);
  return td;
}

function setData(tr, f) {
  const d = tr.dataset;
  d.familyId = f.family_id;
  d.level = f.alert_level;
  d.score = f.current_engagement_score ?? '';
  d.change = f.engagement_change_7_days ?? 0;
  d.events7d = f.events_last_7_days ?? 0;
  d.logins7d = f.logins_last_7_days ?? 0;
  d.payments7d = f.payments_last_7_days ?? 0;
  d.risk = f.risk_score ?? '';
  d.lastEvent = f.last_event_timestamp ?? '';
}

function renderRow(f) {
  const tr = document.createElement('tr');
  setData(tr, f);
  tr.className = `level-${f.alert_level}`;
  const name = document.createElement('td');
  name.className = 'family';
  const link = document.createElement('a');
  link.href = familyPath(f.family_id);
  link.textContent = f.family_id;
  name.append(link);
  const alert = document.createElement('td');
  alert.className = 'alert';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.level = f.alert_level;
  badge.textContent = f.alert_level;
  alert.append(badge);
  const trend = document.createElement('td');
  trend.className = 'trend';
  trend.dataset.trend = f.engagement_trend;
  const arrow = document.createElement('span');
  arrow.className = 'arrow';
  arrow.setAttribute('aria-hidden', 'true');
  arrow.textContent = TREND_ARROW[f.engagement_trend] ?? '?';
  const word = document.createElement('span');
  word.className = 'trend-word';
  word.textContent = f.engagement_trend;
  const change = document.createElement('span');
  change.className = 'change';
  const delta = f.engagement_change_7_days ?? 0;
  change.textContent = `${delta > 0 ? '+' : ''}${delta}`;
  trend.append(arrow, ' ', word, ' ', change);
  const last = document.createElement('td');
  last.className = 'last-event';
  if (f.last_event_timestamp) last.append(timeElement(f.last_event_timestamp, minute));
  const counts = document.createElement('td');
  counts.className = 'num counts-7d';
  const span = (className, value) => {
    const s = document.createElement('span');
    s.className = className;
    s.textContent = text(value);
    return s;
  };
  counts.append(span('events-7d', f.events_last_7_days), ' / ', span('logins-7d', f.logins_last_7_days), ' / ',
    span('payments-7d', f.payments_last_7_days));
  tr.append(name, alert, cell('num score', f.current_engagement_score), trend, counts, cell('num risk', f.risk_score), last);
  return tr;
}

// ---- sorting -------------------------------------------------------------------------------------

function num(value) {
  return value === '' || value === undefined ? null : Number(value);
}

function byNumber(a, b) {
  // Missing values last, whichever the direction (handled by the caller).
  return a - b;
}

const KEYS = {
  family_id: (tr) => tr.dataset.familyId,
  alert: (tr) => LEVEL_RANK[tr.dataset.level] ?? 0,
  score: (tr) => num(tr.dataset.score),
  trend: (tr) => num(tr.dataset.change),
  events_7d: (tr) => num(tr.dataset.events7d),
  risk: (tr) => num(tr.dataset.risk),
  last_event: (tr) => tr.dataset.lastEvent || null,
};

// The server's default order: most severe first, then lowest score, then id.
let sort = { key: 'alert', descending: true };

function idOrder(a, b) {
  const x = a.dataset.familyId;
  const y = b.dataset.familyId;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(a, b) {
  const key = KEYS[sort.key];
  const x = key(a);
  const y = key(b);
  if (x === null || y === null) {
    if (x !== y) return x === null ? 1 : -1;
  } else if (x !== y) {
    const order = typeof x === 'string' ? (x < y ? -1 : 1) : byNumber(x, y);
    return sort.descending ? -order : order;
  }
  if (sort.key === 'alert') {
    // Within a level, lowest score first (as the server orders), missing scores last.
    const sa = num(a.dataset.score);
    const sb = num(b.dataset.score);
    if (sa !== sb) {
      if (sa === null) return 1;
      if (sb === null) return -1;
      return sa - sb;
    }
  }
  return idOrder(a, b);
}

function placeRow(tr) {
  for (const other of tbody.rows) {
    if (other !== tr && compare(tr, other) < 0) {
      tbody.insertBefore(tr, other);
      return;
    }
  }
  tbody.append(tr);
}

function sortAll() {
  const rows = [...tbody.rows].sort(compare);
  tbody.append(...rows);
}

function showSort() {
  for (const th of table.tHead.rows[0].cells) {
    th.setAttribute('aria-sort', th.dataset.sort === sort.key ? (sort.descending ? 'descending' : 'ascending') : 'none');
  }
}

table.tHead.addEventListener('click', (event) => {
  const th = event.target.closest('th[data-sort]');
  if (!th) return;
  const key = th.dataset.sort;
  // First click: the natural direction (ascending, but most severe first for alerts); then toggle.
  sort = key === sort.key ? { key, descending: !sort.descending } : { key, descending: key === 'alert' };
  showSort();
  sortAll();
});

// ---- filtering -----------------------------------------------------------------------------------

function matches(tr) {
  const needle = filterText.value.trim().toLowerCase();
  const level = filterLevel.value;
  return (!needle || tr.dataset.familyId.toLowerCase().includes(needle)) && (!level || tr.dataset.level === level);
}

function applyFilter(tr) {
  tr.hidden = !matches(tr);
}

function updateCount() {
  const shown = [...tbody.rows].filter((tr) => !tr.hidden).length;
  count.textContent = String(shown);
  if (empty) empty.hidden = shown > 0;
}

function refilter() {
  [...tbody.rows].forEach(applyFilter);
  updateCount();
  const params = new URLSearchParams();
  if (filterText.value.trim()) params.set('q', filterText.value.trim());
  if (filterLevel.value) params.set('level', filterLevel.value);
  const query = params.toString();
  history.replaceState(null, '', query ? `/?${query}` : '/');
}

filterText.addEventListener('input', refilter);
filterLevel.addEventListener('change', refilter);
// With scripts the filter applies as one types; the button stays for keyboard users who expect one.
filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  refilter();
});

// ---- keyboard: arrow keys move between the rows' links --------------------------------------------

tbody.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const row = event.target.closest('tr');
  if (!row) return;
  const rows = [...tbody.rows].filter((tr) => !tr.hidden);
  const next = rows[rows.indexOf(row) + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.querySelector('a').focus();
  }
});

// ---- live rows -----------------------------------------------------------------------------------

function rowOf(id) {
  return [...tbody.rows].find((r) => r.dataset.familyId === id);
}

function upsert(f, flash) {
  const existing = rowOf(f.family_id);
  const tr = renderRow(f);
  applyFilter(tr);
  if (existing) {
    // Keep keyboard focus on the family the user was on.
    const hadFocus = existing.contains(document.activeElement);
    existing.remove();
    placeRow(tr);
    if (hadFocus) tr.querySelector('a').focus();
  } else {
    placeRow(tr);
  }
  if (flash) {
    tr.classList.add('changed');
    setTimeout(() => tr.classList.remove('changed'), 1500);
  }
}

// ---- alert feed ----------------------------------------------------------------------------------

const alerts = document.getElementById('alerts');
const alertCount = document.getElementById('alert-count');
const noAlerts = document.querySelector('.empty-alerts');
const ackError = document.getElementById('ack-error');
const MAX_ALERTS = 50;

function ackButton(d) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ack';
  button.textContent = 'Acknowledge';
  button.setAttribute('aria-label', `Acknowledge ${d.pattern} of ${d.family_id}`);
  return button;
}

function renderAlert(d) {
  const li = document.createElement('li');
  li.dataset.detectionId = d.detection_id;
  li.dataset.severity = d.severity;
  li.dataset.detectedAt = d.detected_at;
  li.className = `severity-${d.severity}`;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.level = d.severity;
  badge.textContent = d.severity;
  const pattern = document.createElement('span');
  pattern.className = 'pattern';
  pattern.textContent = d.pattern;
  const family = document.createElement('a');
  family.className = 'family';
  family.href = familyPath(d.family_id);
  family.textContent = d.family_id;
  li.append(badge, pattern, family, timeElement(d.detected_at, second), ackButton(d));
  return li;
}

function alertOf(id) {
  return [...alerts.children].find((li) => li.dataset.detectionId === id);
}

function removeAlert(li) {
  // Keep the keyboard user in the feed: focus moves to the next alert's button.
  const hadFocus = li.contains(document.activeElement);
  const next = li.nextElementSibling ?? li.previousElementSibling;
  li.remove();
  if (hadFocus && next) next.querySelector('button.ack')?.focus();
}

// A snapshot's alerts keep the server's order (newest first by detected_at, like GET /api/detections);
// an alert that arrives live goes on top, whatever its event time: it is the newest news, and a stream
// with historical timestamps must not slot it below the 50 shown and trim it away at once.
// Retracted and acted-on detections leave the open feed.
function onDetection(d, live) {
  const existing = alertOf(d.detection_id);
  if (d.status === 'retracted' || d.action_type) {
    if (existing) removeAlert(existing);
    updateAlertCount();
    return;
  }
  if (existing) existing.remove();
  const li = renderAlert(d);
  if (live) {
    alerts.prepend(li);
  } else {
    const later = [...alerts.children].find((other) => (other.dataset.detectedAt ?? '') < d.detected_at);
    alerts.insertBefore(li, later ?? null);
  }
  while (alerts.children.length > MAX_ALERTS) alerts.lastElementChild.remove();
  if (live) {
    li.classList.add('changed');
    setTimeout(() => li.classList.remove('changed'), 1500);
  }
  updateAlertCount();
}

function updateAlertCount() {
  alertCount.textContent = String(alerts.children.length);
  if (noAlerts) noAlerts.hidden = alerts.children.length > 0;
}

// The session's CSRF token, which the server renders into the page (SPEC §5.5): a state-changing request
// authenticated by the session cookie must carry it, or the server answers 403.
function csrfHeader() {
  const token = document.querySelector('meta[name="_csrf"]')?.content;
  const header = document.querySelector('meta[name="_csrf_header"]')?.content;
  return token && header ? { [header]: token } : {};
}

async function acknowledge(li, button) {
  button.disabled = true;
  button.textContent = 'Acknowledging…';
  ackError.hidden = true;
  try {
    const response = await fetch(`/api/detections/${encodeURIComponent(li.dataset.detectionId)}/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...csrfHeader() },
      body: JSON.stringify({ action_type: 'acknowledged' }),
    });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    // Every open dashboard (this one included) also hears it over the socket; removing it here too
    // makes the button's effect immediate.
    onDetection(await response.json(), false);
  } catch (e) {
    button.disabled = false;
    button.textContent = 'Acknowledge';
    ackError.textContent = `Could not acknowledge: ${e.message}`;
    ackError.hidden = false;
  }
}

alerts.addEventListener('click', (event) => {
  const button = event.target.closest('button.ack');
  if (button) acknowledge(button.closest('li'), button);
});

// The server renders the buttons hidden: without this script they could not work.
alerts.querySelectorAll('button.ack').forEach((b) => { b.hidden = false; });

// ---- status figures and chart --------------------------------------------------------------------

const SAMPLES = 120;
const samples = [];
const charts = document.getElementById('status-charts');
const SVG = 'http://www.w3.org/2000/svg';

function figure(id, value) {
  document.getElementById(id).textContent = text(value);
}

function round(value, digits) {
  return value === null || value === undefined ? null : Number(value).toFixed(digits);
}

function polyline(values, max, className) {
  const line = document.createElementNS(SVG, 'polyline');
  const step = 300 / (SAMPLES - 1);
  const offset = SAMPLES - values.length;
  const points = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) points.push(`${((offset + i) * step).toFixed(1)},${(68 - (v / max) * 64).toFixed(1)}`);
  });
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', className);
  return line;
}

function draw(series, lines) {
  const svg = charts.querySelector(`figure[data-series="${series}"] svg`);
  const max = Math.max(1, ...lines.flatMap((l) => l.values.filter((v) => v !== null && v !== undefined)));
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '2');
  label.setAttribute('y', '10');
  label.setAttribute('class', 'max');
  label.textContent = `max ${Math.round(max)}`;
  svg.replaceChildren(...lines.map((l) => polyline(l.values, max, l.className)), label);
}

function onStatus(s) {
  if (!s || s.events_per_second === undefined) return;
  figure('status-rate', round(s.events_per_second, 1));
  figure('status-lag', s.lag);
  figure('status-lag-seconds', round(s.lag_seconds, 1));
  figure('status-p50', s.latency_ms_p50);
  figure('status-p99', s.latency_ms_p99);
  figure('status-processed', s.processed);
  samples.push(s);
  if (samples.length > SAMPLES) samples.shift();
  charts.hidden = false;
  draw('events_per_second', [{ values: samples.map((x) => x.events_per_second), className: 'series' }]);
  draw('lag', [{ values: samples.map((x) => x.lag), className: 'series' }]);
  draw('latency', [
    { values: samples.map((x) => x.latency_ms_p50), className: 'series' },
    { values: samples.map((x) => x.latency_ms_p99), className: 'series p99' },
  ]);
}

// ---- trending --------------------------------------------------------------------------------------

function span(className, value) {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text(value);
  return el;
}

function onTrending(t) {
  const families = document.getElementById('trending-families');
  const types = document.getElementById('trending-types');
  document.getElementById('trending-window').textContent = `${t.size} window ${minute(t.window_start)} – ${minute(t.window_end)}`;
  families.replaceChildren(...t.families.map((f) => {
    const li = document.createElement('li');
    li.dataset.familyId = f.family_id;
    const a = document.createElement('a');
    a.href = familyPath(f.family_id);
    a.textContent = f.family_id;
    li.append(a, ' ', span('num', f.event_count));
    return li;
  }));
  types.replaceChildren(...t.event_types.map((x) => {
    const li = document.createElement('li');
    li.dataset.eventType = x.event_type;
    li.append(span('type', x.event_type), ' ', span('num', x.count), ' ', span('rise', x.ratio === null ? 'new' : `×${x.ratio}`));
    return li;
  }));
  document.getElementById('trending-empty')?.remove();
}

// ---- messages ------------------------------------------------------------------------------------

function onMessage(message) {
  if (message.type === 'snapshot') {
    tbody.replaceChildren();
    message.families.forEach((f) => {
      const tr = renderRow(f);
      applyFilter(tr);
      tbody.append(tr);
    });
    sortAll();
    alerts.replaceChildren();
    message.detections.forEach((d) => onDetection(d, false));
    updateAlertCount();
    onStatus(message.status);
  } else if (message.type === 'metrics') {
    message.families.forEach((f) => upsert(f, true));
  } else if (message.type === 'detection') {
    onDetection(message, true);
  } else if (message.type === 'status') {
    onStatus(message);
  } else if (message.type === 'trending') {
    onTrending(message);
  }
  updateCount();
}

refilter();
connectLive({ onMessage });
