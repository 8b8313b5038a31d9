// The demo page: an RTCPeerConnection to the Node peer, signaled over HTTP with trickle ICE
// both ways, an echo over a data channel, and the Node side's stats every second.
const $ = (id) => document.getElementById(id);
let sessionId;

const pc = new RTCPeerConnection();
const channel = pc.createDataChannel('echo');

async function api(method, path, body) {
  const res = await fetch(`/api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ?? res.statusText);
  return json;
}

function log(cls, text, extra) {
  const li = document.createElement('li');
  li.className = cls;
  li.textContent = text;
  if (extra) {
    const span = document.createElement('span');
    span.className = 'rtt';
    span.textContent = extra;
    li.append(span);
  }
  $('log').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

// Our candidates go to the Node peer once it has a session for us; theirs come by long-poll.
const early = [];
pc.addEventListener('icecandidate', ({ candidate }) => {
  const json = candidate ? candidate.toJSON() : null;
  if (sessionId) sendCandidate(json);
  else early.push(json);
});
function sendCandidate(json) {
  api('POST', `session/${sessionId}/candidate`, json).catch((e) => log('note', String(e)));
}

async function receiveCandidates() {
  let since = 0;
  for (;;) {
    const { candidates, next, done } = await api(
      'GET',
      `session/${sessionId}/candidates?since=${since}`,
    );
    for (const c of candidates) await pc.addIceCandidate(c ?? undefined).catch(() => {});
    since = next;
    if (done || pc.signalingState === 'closed') return;
  }
}

async function connect() {
  await pc.setLocalDescription();
  const { id, answer } = await api('POST', 'session', pc.localDescription.toJSON());
  sessionId = id;
  for (const c of early.splice(0)) sendCandidate(c);
  await pc.setRemoteDescription(answer);
  receiveCandidates().catch((e) => log('note', `candidates: ${e.message}`));
  setInterval(showStats, 1000);
  showStats();
}

// The echo: each message remembers when it left, to show the round trip.
const pending = [];
function setChannelState(state) {
  const el = $('channel-state');
  el.textContent = state;
  el.dataset.state = state;
  el.className = `state ${state === 'open' ? 'good' : state === 'connecting' ? '' : 'bad'}`;
  $('message').disabled = $('send').disabled = state !== 'open';
}
channel.addEventListener('open', () => {
  setChannelState('open');
  log('note', 'data channel open: type something');
  $('message').focus();
});
channel.addEventListener('close', () => setChannelState('closed'));
channel.addEventListener('message', ({ data }) => {
  const sentAt = pending.shift();
  log('echo', data, sentAt === undefined ? '' : `${(performance.now() - sentAt).toFixed(1)} ms`);
});
$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('message').value;
  if (channel.readyState !== 'open') return;
  pending.push(performance.now());
  channel.send(text);
  log('sent', text);
  $('message').value = '';
});

// The Node side's view of the connection, as peer.mjs sums it up.
function row(tbody, name, value, cls) {
  const tr = tbody.insertRow();
  if (cls) tr.className = cls;
  const th = document.createElement('th');
  th.textContent = name;
  tr.append(th);
  if (value !== undefined) {
    const td = tr.insertCell();
    td.textContent = value;
    td.dataset.key = name;
  }
}
function bytes(n) {
  if (n === null || n === undefined) return '—';
  return n < 1024
    ? `${n} B`
    : n < 1048576
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1048576).toFixed(2)} MiB`;
}
async function showStats() {
  let s;
  try {
    s = await api('GET', `session/${sessionId}/stats`);
  } catch (e) {
    $('updated').textContent = `(${e.message})`;
    return;
  }
  const tbody = document.createElement('tbody');
  row(tbody, 'States', undefined, 'group');
  for (const [k, v] of Object.entries(s.states)) row(tbody, k, v);
  const p = s.selectedPair;
  row(tbody, 'Selected candidate pair', undefined, 'group');
  if (p) {
    row(tbody, 'local', p.local);
    row(tbody, 'remote', p.remote);
    row(tbody, 'state', `${p.state}${p.nominated ? ', nominated' : ''}`);
    row(tbody, 'round-trip time', p.rttMs === null ? '—' : `${p.rttMs.toFixed(2)} ms`);
    row(
      tbody,
      'checks',
      `${p.requestsSent} sent, ${p.responsesReceived} answered, ${p.consentRequestsSent} consent`,
    );
  } else row(tbody, 'none yet', '');
  const t = s.transport;
  if (t) {
    row(tbody, 'Transport', undefined, 'group');
    row(tbody, 'sent', `${bytes(t.bytesSent)} in ${t.packetsSent} packets`);
    row(tbody, 'received', `${bytes(t.bytesReceived)} in ${t.packetsReceived} packets`);
    row(tbody, 'roles', `ICE ${t.iceRole}, DTLS ${t.dtlsRole}`);
    row(tbody, 'security', t.tls ? `${t.tls}, ${t.cipher}` : '—');
  }
  for (const c of s.channels) {
    row(tbody, `Channel "${c.label}" (id ${c.id})`, undefined, 'group');
    row(tbody, 'state', c.state);
    row(tbody, 'received', `${c.messagesReceived} messages, ${bytes(c.bytesReceived)}`);
    if (c.messagesSent !== null)
      row(tbody, 'sent', `${c.messagesSent} messages, ${bytes(c.bytesSent)}`);
  }
  $('stats').replaceChildren(tbody);
  $('updated').textContent = `(up ${(s.uptime / 1000).toFixed(0)} s)`;
}

window.addEventListener('pagehide', () => {
  if (sessionId) navigator.sendBeacon(`/api/session/${sessionId}/close`);
  pc.close();
});

connect().catch((e) => {
  log('note', `could not connect: ${e.message}`);
  setChannelState('failed');
});
