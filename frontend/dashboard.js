// Keeps the server-rendered families table live over WS /ws/dashboard (SPEC §5.3):
// a snapshot replaces the rows, a metrics message replaces the rows it names. Reconnects with backoff.

const LEVEL_RANK = { none: 0, watch: 1, warning: 2, critical: 3 };

const table = document.querySelector('#families tbody');
const count = document.getElementById('family-count');
const connection = document.getElementById('connection');
const empty = document.querySelector('.empty');

function setConnection(state, text) {
  connection.dataset.state = state;
  connection.textContent = text;
}

function cell(className, text) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text; // textContent, never innerHTML: ids are user data
  return td;
}

function renderRow(f) {
  const tr = document.createElement('tr');
  tr.dataset.familyId = f.family_id;
  tr.className = `level-${f.alert_level}`;
  tr.append(cell('family', f.family_id));
  const alert = document.createElement('td');
  alert.className = 'alert';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = f.alert_level;
  alert.append(badge);
  tr.append(alert);
  tr.append(cell('num score', f.current_engagement_score ?? '—'));
  tr.append(cell('num events-7d', f.events_last_7_days));
  tr.append(cell('num processed', f.events_processed));
  const last = document.createElement('td');
  last.className = 'last-event';
  if (f.last_event_timestamp) {
    const time = document.createElement('time');
    time.dateTime = f.last_event_timestamp;
    time.textContent = f.last_event_timestamp;
    last.append(time);
  }
  tr.append(last);
  tr._family = f;
  return tr;
}

// Most severe first, then lowest score, then id: the server's default order.
function compare(a, b) {
  const byLevel = (LEVEL_RANK[b.alert_level] ?? 0) - (LEVEL_RANK[a.alert_level] ?? 0);
  if (byLevel !== 0) return byLevel;
  const sa = a.current_engagement_score ?? Number.MAX_SAFE_INTEGER;
  const sb = b.current_engagement_score ?? Number.MAX_SAFE_INTEGER;
  if (sa !== sb) return sa - sb;
  return a.family_id < b.family_id ? -1 : a.family_id > b.family_id ? 1 : 0;
}

function rowFamily(tr) {
  if (!tr._family) {
    // A server-rendered row: read its values back once.
    const score = tr.querySelector('.score').textContent.trim();
    tr._family = {
      family_id: tr.dataset.familyId,
      alert_level: tr.querySelector('.badge').textContent.trim(),
      current_engagement_score: /^\d+$/.test(score) ? Number(score) : null,
    };
  }
  return tr._family;
}

function placeRow(tr) {
  const f = rowFamily(tr);
  for (const other of table.rows) {
    if (other !== tr && compare(f, rowFamily(other)) < 0) {
      table.insertBefore(tr, other);
      return;
    }
  }
  table.append(tr);
}

function upsert(f, flash) {
  const existing = [...table.rows].find((r) => r.dataset.familyId === f.family_id);
  const tr = renderRow(f);
  if (existing) existing.remove();
  placeRow(tr);
  if (flash) {
    tr.classList.add('changed');
    setTimeout(() => tr.classList.remove('changed'), 1500);
  }
}

function updateCount() {
  count.textContent = String(table.rows.length);
  if (empty) empty.hidden = table.rows.length > 0;
}

const alerts = document.getElementById('alerts');
const alertCount = document.getElementById('alert-count');
const noAlerts = document.querySelector('.empty-alerts');
const MAX_ALERTS = 50;

function renderAlert(d) {
  const li = document.createElement('li');
  li.dataset.detectionId = d.detection_id;
  li.dataset.severity = d.severity;
  li.className = `severity-${d.severity}`;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = d.severity;
  const pattern = document.createElement('span');
  pattern.className = 'pattern';
  pattern.textContent = d.pattern;
  const family = document.createElement('span');
  family.className = 'family';
  family.textContent = d.family_id;
  const time = document.createElement('time');
  time.dateTime = d.detected_at;
  time.textContent = d.detected_at;
  li.append(badge, pattern, family, time);
  return li;
}

// Newest first by detected_at (ISO instants compare as strings), like GET /api/detections.
function onDetection(d, flash) {
  const existing = [...alerts.children].find((li) => li.dataset.detectionId === d.detection_id);
  if (existing) existing.remove();
  if (d.status === 'retracted') {
    updateAlertCount();
    return;
  }
  const li = renderAlert(d);
  const later = [...alerts.children].find((other) => (other.querySelector('time')?.dateTime ?? '') < d.detected_at);
  alerts.insertBefore(li, later ?? null);
  while (alerts.children.length > MAX_ALERTS) alerts.lastElementChild.remove();
  if (flash) {
    li.classList.add('changed');
    setTimeout(() => li.classList.remove('changed'), 1500);
  }
  updateAlertCount();
}

function updateAlertCount() {
  alertCount.textContent = String(alerts.children.length);
  if (noAlerts) noAlerts.hidden = alerts.children.length > 0;
}

function onMessage(message) {
  if (message.type === 'snapshot') {
    table.replaceChildren();
    message.families.forEach((f) => upsert(f, false));
    alerts.replaceChildren();
    message.detections.forEach((d) => onDetection(d, false));
  } else if (message.type === 'metrics') {
    message.families.forEach((f) => upsert(f, true));
  } else if (message.type === 'detection') {
    onDetection(message, true);
  }
  updateCount();
}

let retryMs = 500;

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/dashboard`);
  socket.addEventListener('open', () => {
    retryMs = 500;
    setConnection('live', 'live');
  });
  socket.addEventListener('message', (event) => onMessage(JSON.parse(event.data)));
  socket.addEventListener('close', () => {
    setConnection('offline', `reconnecting in ${Math.round(retryMs / 1000)} s…`);
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  });
}

connect();
