// The live connection of a page: WS /ws/dashboard (SPEC §5.3) with automatic reconnect and resync.
// Every (re)connection starts with a fresh snapshot from the server, so after a reconnect or a
// {"type":"resync"} the page replaces its picture instead of trusting deltas it may have missed.
// The indicator (#connection) says which state the page is in, in words (not colour only):
//   offline    – no connection (at load, or lost: "reconnecting in N s")
//   connecting – socket opening, or open and waiting for its snapshot
//   live       – snapshot applied, updates flowing
// data-connections counts snapshots applied, so a test (or a curious user) can tell a resync happened.

const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 10000;

export function connectLive({ onMessage, subscribe }) {
  const indicator = document.getElementById('connection');
  let retryMs = MIN_RETRY_MS;
  let snapshots = 0;
  let countdown = null;

  function setState(state, text) {
    indicator.dataset.state = state;
    indicator.textContent = text;
  }

  function scheduleReconnect() {
    // Jitter spreads a fleet of dashboards so a restarted server is not hit by all of them at once.
    const delay = Math.round(retryMs * (0.75 + Math.random() * 0.5));
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    let left = Math.ceil(delay / 1000);
    setState('offline', `disconnected: reconnecting in ${left} s…`);
    clearInterval(countdown);
    countdown = setInterval(() => {
      left -= 1;
      if (left > 0) setState('offline', `disconnected: reconnecting in ${left} s…`);
    }, 1000);
    setTimeout(() => {
      clearInterval(countdown);
      connect();
    }, delay);
  }

  function connect() {
    setState('connecting', 'connecting…');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    let socket;
    try {
      socket = new WebSocket(`${scheme}://${location.host}/ws/dashboard`);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.addEventListener('open', () => {
      if (subscribe) socket.send(JSON.stringify({ type: 'subscribe', ...subscribe }));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message.type === 'resync') {
        setState('connecting', 'resynchronising…');
      }
      onMessage(message);
      if (message.type === 'snapshot') {
        retryMs = MIN_RETRY_MS;
        snapshots += 1;
        indicator.dataset.connections = String(snapshots);
        setState('live', 'live');
      }
    });
    // 'error' is always followed by 'close': reconnect there only.
    socket.addEventListener('close', scheduleReconnect);
  }

  connect();
}

// Text for a value that may be missing.
export function text(value) {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

// ISO instants as the server renders them (web/Times): UTC, to the minute or the second.
export function minute(iso) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

export function second(iso) {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
}

// A <time> element showing an instant; the exact value stays in datetime and title.
export function timeElement(iso, format) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = iso;
  time.textContent = format(iso);
  return time;
}
