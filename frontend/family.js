// The family page (SPEC §5.4): server-rendered, then kept live over WS /ws/dashboard, subscribed to this
// one family. Metrics replace the figures; detection changes are added or updated in place (a retraction
// keeps the detection, marked). textContent only: ids and event data are user data.

import { connectLive, second, text, timeElement } from './live.js';

const TIMES = new Set(['alert_since', 'last_event_timestamp', 'as_of']);

const familyId = document.body.dataset.familyId;
const metrics = document.getElementById('metrics');
const level = document.getElementById('family-level');
const list = document.getElementById('detections');
const detectionCount = document.getElementById('detection-count');
const noDetections = document.querySelector('.empty-detections');

function flash(element) {
  element.classList.remove('changed');
  // Restart the animation when changes come in quick succession.
  void element.offsetWidth;
  element.classList.add('changed');
  setTimeout(() => element.classList.remove('changed'), 1500);
}

function onMetrics(f, changed) {
  if (f.family_id !== familyId) return;
  for (const field of metrics.querySelectorAll('[data-field]')) {
    const value = f[field.dataset.field];
    const name = field.dataset.field;
    if (TIMES.has(name)) {
      field.textContent = value ? second(value) : '—';
      field.title = value ?? '';
    } else {
      field.textContent = Array.isArray(value) ? value.join(', ') : name === 'alert_reason' || name === 'risk_factors' ? (value ?? '') : text(value);
    }
  }
  metrics.className = `metrics level-${f.alert_level}`;
  level.dataset.level = f.alert_level;
  level.textContent = f.alert_level;
  if (changed) flash(metrics);
}

function cell(value, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = value ?? '';
  return td;
}

function renderDetection(d) {
  const li = document.createElement('li');
  li.dataset.detectionId = d.detection_id;
  li.dataset.status = d.status;
  li.dataset.detectedAt = d.detected_at;
  li.className = `severity-${d.severity}`;
  const head = document.createElement('div');
  head.className = 'detection-head';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.level = d.severity;
  badge.textContent = d.severity;
  const pattern = document.createElement('span');
  pattern.className = 'pattern';
  pattern.textContent = d.pattern;
  const status = document.createElement('span');
  status.className = 'status';
  status.textContent = d.status + (d.action_type ? `, ${d.action_type}` : '');
  head.append(badge, ' ', pattern, ' ', status, ' ', timeElement(d.detected_at, second));
  const table = document.createElement('table');
  table.className = 'matched';
  const caption = table.createCaption();
  caption.textContent = `Matched events (${d.matched_events.length})`;
  const headRow = table.createTHead().insertRow();
  ['Event id', 'Type', 'Time', 'Value'].forEach((name, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    if (i === 3) th.className = 'num';
    th.textContent = name;
    headRow.append(th);
  });
  const body = table.createTBody();
  for (const m of d.matched_events) {
    const tr = body.insertRow();
    const when = document.createElement('td');
    when.append(timeElement(m.event_timestamp, second));
    tr.append(cell(m.event_id, 'event-id'), cell(m.event_type), when, cell(m.value, 'num'));
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  li.append(head, wrap);
  return li;
}

function onDetection(d, changed) {
  if (d.family_id !== familyId) return;
  const li = renderDetection(d);
  const existing = [...list.children].find((other) => other.dataset.detectionId === d.detection_id);
  if (existing) {
    existing.replaceWith(li);
  } else {
    const later = [...list.children].find((other) => (other.dataset.detectedAt ?? '') < d.detected_at);
    list.insertBefore(li, later ?? null);
  }
  detectionCount.textContent = String(list.children.length);
  if (noDetections) noDetections.hidden = true;
  if (changed) flash(li);
}

function onMessage(message) {
  if (message.type === 'snapshot') {
    message.families.forEach((f) => onMetrics(f, false));
    message.detections.forEach((d) => onDetection(d, false));
  } else if (message.type === 'metrics') {
    message.families.forEach((f) => onMetrics(f, true));
  } else if (message.type === 'detection') {
    onDetection(message, true);
  }
}

connectLive({ onMessage, subscribe: { family_ids: [familyId] } });
