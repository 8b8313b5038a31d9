// Runs inside Chromium's page (injected by chromium-peer.ts; not type-checked: the DOM is not
// part of our type environment). It keeps the page's RTCPeerConnections and data channels by
// number and reports what happens to them to Node through the exposed function `toNode`, in
// the order it happens. Node calls `interop.<method>(...)` through page.evaluate.
(() => {
  const pcs = new Map();
  const channels = new Map();
  const receivers = new Map();
  const bulks = new Map();
  let nextId = 1;
  const report = (event) => globalThis.toNode(event);

  /** The bytes of `pattern()` in chromium-peer.ts: xorshift32 from `seed`, low byte each step. */
  function pattern(size, seed) {
    const bytes = new Uint8Array(size);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < size; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      bytes[i] = x & 0xff;
    }
    return bytes;
  }

  /** FNV-1a 32 of bytes, as `fnv1a()` in chromium-peer.ts. */
  function fnv1a(bytes) {
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  const encoder = new TextEncoder();

  /** What Node learns of a message: its kind, size and hash, and short text in full. */
  function summary(data) {
    if (typeof data === 'string') {
      const bytes = encoder.encode(data);
      return {
        binary: false,
        size: bytes.length,
        hash: fnv1a(bytes),
        text: data.length <= 256 ? data : undefined,
      };
    }
    const bytes = new Uint8Array(data);
    return { binary: true, size: bytes.length, hash: fnv1a(bytes) };
  }

  function track(channel) {
    const ch = nextId++;
    channels.set(ch, channel);
    channel.binaryType = 'arraybuffer';
    for (const type of ['open', 'closing', 'close', 'bufferedamountlow']) {
      channel.addEventListener(type, () =>
        report({ ch, event: type, readyState: channel.readyState }),
      );
    }
    channel.addEventListener('error', (e) =>
      report({
        ch,
        event: 'error',
        readyState: channel.readyState,
        detail: e.error?.errorDetail,
        message: e.error?.message,
      }),
    );
    channel.addEventListener('message', (e) => {
      const receiver = receivers.get(ch);
      if (receiver) return receiver(e.data);
      report({ ch, event: 'message', ...summary(e.data) });
    });
    return ch;
  }

  function describe(channel) {
    return {
      label: channel.label,
      protocol: channel.protocol,
      id: channel.id,
      ordered: channel.ordered,
      maxRetransmits: channel.maxRetransmits,
      maxPacketLifeTime: channel.maxPacketLifeTime,
      negotiated: channel.negotiated,
      readyState: channel.readyState,
    };
  }

  const interop = {
    /** A new connection; trickled candidates go to Node unless trickle is false. */
    newPc(configuration, trickle = true) {
      const pc = new RTCPeerConnection(configuration);
      const id = nextId++;
      pcs.set(id, pc);
      for (const type of [
        'signalingstatechange',
        'iceconnectionstatechange',
        'connectionstatechange',
        'icegatheringstatechange',
      ]) {
        const read = {
          signalingstatechange: () => pc.signalingState,
          iceconnectionstatechange: () => pc.iceConnectionState,
          connectionstatechange: () => pc.connectionState,
          icegatheringstatechange: () => pc.iceGatheringState,
        }[type];
        pc.addEventListener(type, () => report({ pc: id, event: type, state: read() }));
      }
      pc.addEventListener('negotiationneeded', () =>
        report({ pc: id, event: 'negotiationneeded' }),
      );
      pc.addEventListener('icecandidate', (e) => {
        if (trickle)
          report({ pc: id, event: 'icecandidate', candidate: e.candidate?.toJSON() ?? null });
      });
      pc.addEventListener('datachannel', (e) =>
        report({
          pc: id,
          event: 'datachannel',
          ch: track(e.channel),
          channel: describe(e.channel),
        }),
      );
      return id;
    },
    createChannel(pc, label, init) {
      const channel = pcs.get(pc).createDataChannel(label, init);
      return { ch: track(channel), channel: describe(channel) };
    },
    /** setLocalDescription(); with `gather`, waits for gathering to complete first. */
    async setLocal(pc, gather = false) {
      const connection = pcs.get(pc);
      await connection.setLocalDescription();
      if (gather && connection.iceGatheringState !== 'complete') {
        await new Promise((resolve) => {
          const check = () => {
            if (connection.iceGatheringState !== 'complete') return;
            connection.removeEventListener('icegatheringstatechange', check);
            resolve();
          };
          connection.addEventListener('icegatheringstatechange', check);
        });
      }
      return connection.localDescription.toJSON();
    },
    async setRemote(pc, description) {
      await pcs.get(pc).setRemoteDescription(description);
    },
    async addCandidate(pc, candidate) {
      await pcs.get(pc).addIceCandidate(candidate ?? undefined);
    },
    /**
     * Connects two page connections, `a` offering with a channel, trickling in the page; resolves
     * when the channel is open on both sides, with both ends' numbers. The reference for what
     * Chromium does with Chromium.
     */
    async connectPair(a, b) {
      const [ours, theirs] = await linkInPage(pcs.get(a), pcs.get(b));
      return { ch: track(ours), peerCh: track(theirs) };
    },
    /** Milliseconds from two new connections to a channel open on both, Chromium with itself. */
    async referenceSetupTime() {
      const started = performance.now();
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      await linkInPage(a, b);
      const ms = performance.now() - started;
      a.close();
      b.close();
      return ms;
    },
    restartIce(pc) {
      pcs.get(pc).restartIce();
    },
    state(pc) {
      const c = pcs.get(pc);
      return {
        signalingState: c.signalingState,
        iceConnectionState: c.iceConnectionState,
        connectionState: c.connectionState,
        iceGatheringState: c.iceGatheringState,
        maxMessageSize: c.sctp?.maxMessageSize ?? null,
        maxChannels: c.sctp?.maxChannels ?? null,
      };
    },
    async stats(pc) {
      const report = await pcs.get(pc).getStats();
      return [...report.values()];
    },
    closePc(pc) {
      pcs.get(pc).close();
    },
    send(ch, data) {
      channels.get(ch).send(data);
    },
    /** Sends `pattern(size, seed)` as one binary message. */
    sendPattern(ch, size, seed) {
      channels.get(ch).send(pattern(size, seed));
    },
    /** Sends a string of `size` code units (ASCII, from the pattern). */
    sendText(ch, size, seed) {
      const bytes = pattern(size, seed);
      let s = '';
      for (let i = 0; i < size; i++) s += String.fromCharCode(0x20 + (bytes[i] % 95));
      channels.get(ch).send(s);
    },
    closeChannel(ch) {
      channels.get(ch).close();
    },
    readyState(ch) {
      return channels.get(ch).readyState;
    },
    /**
     * Sends `total` bytes of `pattern(total, seed)` in `chunk`-sized messages, with
     * bufferedAmountLowThreshold flow control; resolves, once the last is queued, with the
     * SHA-256 (hex) of what it sent.
     */
    async sendBulk(ch, total, chunk, seed) {
      const channel = channels.get(ch);
      const data = pattern(total, seed);
      const high = 4 * 1024 * 1024;
      channel.bufferedAmountLowThreshold = 1024 * 1024;
      let offset = 0;
      await new Promise((resolve, reject) => {
        const pump = () => {
          while (offset < total && channel.bufferedAmount < high) {
            channel.send(data.subarray(offset, Math.min(total, offset + chunk)));
            offset += chunk;
          }
          if (offset >= total) {
            channel.onbufferedamountlow = channel.onclose = null;
            resolve();
          }
        };
        channel.onbufferedamountlow = pump;
        channel.onclose = () => reject(new Error(`the channel closed after ${offset} bytes`));
        pump();
      });
      return sha256(data);
    },
    /**
     * Starts receiving `total` bytes on the channel; bulkResult(ch) then resolves with their
     * SHA-256 (hex) and the number of messages.
     */
    receiveBulk(ch, total) {
      const parts = [];
      let received = 0;
      bulks.set(
        ch,
        new Promise((resolve) => {
          receivers.set(ch, async (data) => {
            parts.push(new Uint8Array(data));
            received += data.byteLength;
            if (received < total) return;
            receivers.delete(ch);
            const all = new Uint8Array(received);
            let at = 0;
            for (const p of parts) {
              all.set(p, at);
              at += p.length;
            }
            resolve({ sha256: await sha256(all), messages: parts.length, bytes: received });
          });
        }),
      );
    },
    bulkResult(ch) {
      return bulks.get(ch);
    },
  };

  /** Connects `pa` (offering, with a channel) to `pb`; resolves with both ends once open. */
  async function linkInPage(pa, pb) {
    const trickleTo = (from, to) => {
      const early = [];
      from.addEventListener('icecandidate', (e) => {
        if (to.remoteDescription) to.addIceCandidate(e.candidate ?? undefined);
        else early.push(e.candidate);
      });
      return () => {
        for (const c of early.splice(0)) to.addIceCandidate(c ?? undefined);
      };
    };
    const flushToB = trickleTo(pa, pb);
    const flushToA = trickleTo(pb, pa);
    const channel = pa.createDataChannel('reference');
    const opened = new Promise((resolve) => {
      let count = 0;
      let remote;
      const one = () => ++count === 2 && resolve([channel, remote]);
      channel.addEventListener('open', one);
      pb.addEventListener('datachannel', (e) => {
        remote = e.channel;
        remote.addEventListener('open', one);
      });
    });
    await pa.setLocalDescription();
    await pb.setRemoteDescription(pa.localDescription);
    flushToB();
    await pb.setLocalDescription();
    await pa.setRemoteDescription(pb.localDescription);
    flushToA();
    return opened;
  }

  async function sha256(bytes) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  globalThis.interop = interop;
})();
