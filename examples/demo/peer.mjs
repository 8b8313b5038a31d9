// The demo's Node side: one of our RTCPeerConnections per browser tab. It answers the page's
// offer, trades candidates with it (trickle ICE over HTTP), echoes every message on every data
// channel the page opens, and sums its getStats() report up for the page.

// RTCPeerConnection is not exported from the package entry yet; this is its built module.
import { RTCPeerConnection } from '../../dist/index.js';

/** Candidates queued for a page that has not fetched them yet; more means a broken page. */
const MAX_QUEUED_CANDIDATES = 64;

export class Session {
  /** Our candidates, in order, for the page's long-poll; null marks the end of candidates. */
  #candidates = [];
  #waiters = new Set();
  #started = performance.now();

  constructor(id, configuration) {
    this.id = id;
    this.lastSeen = performance.now();
    this.pc = new RTCPeerConnection(configuration);
    this.pc.addEventListener('icecandidate', ({ candidate }) => {
      if (this.#candidates.length >= MAX_QUEUED_CANDIDATES) return;
      this.#candidates.push(candidate ? candidate.toJSON() : null);
      for (const wake of this.#waiters) wake();
    });
    this.pc.addEventListener('datachannel', ({ channel }) => {
      channel.addEventListener('message', ({ data }) => {
        if (channel.readyState === 'open') channel.send(data);
      });
    });
  }

  /** Applies the page's offer; resolves with our answer. */
  async answer(offer) {
    await this.pc.setRemoteDescription(offer);
    await this.pc.setLocalDescription();
    return this.pc.localDescription.toJSON();
  }

  /** A candidate from the page; null (or an empty one) is its end of candidates. */
  async addCandidate(candidate) {
    await this.pc.addIceCandidate(candidate ?? undefined);
  }

  /**
   * Our candidates from index `since` on, waiting up to `ms` for one when there is none yet:
   * { candidates, next, done }.
   */
  async candidates(since, ms) {
    if (since >= this.#candidates.length && !this.closed) {
      await new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        this.#waiters.add(wake);
      });
    }
    const candidates = this.#candidates.slice(since);
    return {
      candidates,
      next: since + candidates.length,
      done: this.#candidates.at(-1) === null || this.closed,
    };
  }

  get closed() {
    return this.pc.connectionState === 'closed';
  }

  close() {
    this.pc.close();
    for (const wake of this.#waiters) wake();
  }

  /** What the page shows: our states, the selected candidate pair, DTLS, SCTP and channels. */
  async stats() {
    const report = await this.pc.getStats();
    const all = [...report.values()];
    const transport = all.find((s) => s.type === 'transport');
    const pair = transport && report.get(transport.selectedCandidatePairId);
    const candidate = (id) => {
      const c = report.get(id);
      return c && `${c.candidateType} ${c.protocol} ${hostPort(c.address, c.port)}`;
    };
    return {
      uptime: Math.round(performance.now() - this.#started),
      states: {
        connection: this.pc.connectionState,
        ice: this.pc.iceConnectionState,
        gathering: this.pc.iceGatheringState,
        signaling: this.pc.signalingState,
        dtls: transport?.dtlsState ?? 'new',
        sctp: this.pc.sctp?.state ?? 'none',
      },
      selectedPair: pair && {
        local: candidate(pair.localCandidateId),
        remote: candidate(pair.remoteCandidateId),
        state: pair.state,
        nominated: pair.nominated,
        rttMs: pair.currentRoundTripTime === undefined ? null : pair.currentRoundTripTime * 1000,
        requestsSent: pair.requestsSent,
        responsesReceived: pair.responsesReceived,
        consentRequestsSent: pair.consentRequestsSent,
      },
      transport: transport && {
        bytesSent: transport.bytesSent,
        bytesReceived: transport.bytesReceived,
        packetsSent: transport.packetsSent,
        packetsReceived: transport.packetsReceived,
        iceRole: transport.iceRole,
        dtlsRole: transport.dtlsRole,
        tls: transport.tlsVersion === 'FEFD' ? 'DTLS 1.2' : (transport.tlsVersion ?? null),
        cipher: transport.dtlsCipher ?? null,
        pairChanges: transport.selectedCandidatePairChanges,
      },
      channels: all
        .filter((s) => s.type === 'data-channel')
        .map((s) => ({
          label: s.label,
          id: s.dataChannelIdentifier,
          state: s.state,
          messagesReceived: s.messagesReceived,
          bytesReceived: s.bytesReceived,
          messagesSent: s.messagesSent ?? null,
          bytesSent: s.bytesSent ?? null,
        })),
    };
  }
}

/** A remote address the page never signalled (peer-reflexive, behind mDNS) is null in the stats. */
function hostPort(address, port) {
  if (address === null || address === undefined) return `(address not shown):${port}`;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The live sessions by id, at most `max` (the oldest goes), each closed after `idleMs` unseen. */
export class Sessions {
  #sessions = new Map();
  #next = 1;
  #sweep;

  constructor({ max = 16, idleMs = 30_000, configuration = {} } = {}) {
    this.max = max;
    this.idleMs = idleMs;
    this.configuration = configuration;
    this.#sweep = setInterval(() => {
      const now = performance.now();
      for (const s of this.#sessions.values()) {
        if (s.closed || now - s.lastSeen > this.idleMs) this.close(s.id);
      }
    }, 5000);
    this.#sweep.unref();
  }

  create() {
    if (this.#sessions.size >= this.max) this.close(this.#sessions.keys().next().value);
    const session = new Session(String(this.#next++), this.configuration);
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The session, marked as seen now; undefined when there is none. */
  get(id) {
    const session = this.#sessions.get(id);
    if (session) session.lastSeen = performance.now();
    return session;
  }

  /** The ids of the live sessions, oldest first. */
  ids() {
    return this.#sessions.keys();
  }

  close(id) {
    this.#sessions.get(id)?.close();
    this.#sessions.delete(id);
  }

  closeAll() {
    clearInterval(this.#sweep);
    for (const id of [...this.#sessions.keys()]) this.close(id);
  }
}
