/**
 * The ceiling of this machine for a JavaScript stack: 1,200-byte datagrams over node:dgram
 * on 127.0.0.1, one way, with the least a transport needs: a window of datagrams in flight,
 * opened by an acknowledgement datagram every ACK_EVERY datagrams. With `aead` each
 * datagram is an AES-128-GCM record sealed and opened through node:crypto the cheapest way
 * it allows (one cipher object per record, a KeyObject, nonce and additional data in
 * reused buffers), so the figure is what per-packet node:crypto leaves of plain UDP.
 *
 * The receiver measures from its first datagram to its last and reports the bytes that
 * arrived; lost datagrams (a stalled window) are forgiven after STALL_MS.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Side } from '../lib/session.js';
import type { PairWorkload, Params } from '../lib/workload.js';

const DATAGRAM = 1200;
const WINDOW = 512;
const ACK_EVERY = 32;
const STALL_MS = 20;
const BUFFER = 4 * 2 ** 20;
const HEADER = 13;
const EXPLICIT_NONCE = 8;
const TAG = 16;
const PLAINTEXT = DATAGRAM - HEADER - EXPLICIT_NONCE - TAG;
const MIB = 2 ** 20;
/** Both sides derive the key from the session name: the figure is the cost, not secrecy. */
const keyOf = (session: string) => createSecretKey(Buffer.alloc(16, session));
const SALT = Buffer.from([1, 2, 3, 4]);
const GCM = { authTagLength: TAG } as const;

/**
 * What both ends set up alike: the record state (key, nonce and additional-data buffers)
 * and a socket connected to the other end's, their ports swapped over the signal.
 */
async function openEnd(side: Side, params: Params) {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setRecvBufferSize(BUFFER);
  socket.setSendBufferSize(BUFFER);
  side.signal.send({ type: `${side.session}:port`, port: socket.address().port });
  const { port: remote } = await side.signal.next(`${side.session}:port`);
  await new Promise<void>((resolve) => socket.connect(remote as number, '127.0.0.1', resolve));
  const nonce = Buffer.alloc(12);
  SALT.copy(nonce);
  return {
    socket,
    aead: params.aead === true,
    count: Math.ceil(Number(params.bytes) / DATAGRAM),
    key: keyOf(side.session),
    nonce,
    aad: Buffer.alloc(13),
  };
}

export const ceiling: PairWorkload = {
  kind: 'pair',
  stackless: true,
  async offerer(side, params) {
    const { socket, aead, count, key, nonce, aad } = await openEnd(side, params);
    const plaintext = randomBytes(PLAINTEXT);

    const datagram = (seq: number): Buffer => {
      const out = Buffer.allocUnsafe(DATAGRAM);
      out.writeUInt32BE(seq, 0);
      if (!aead) return out;
      out.writeUIntBE(seq, HEADER - 6, 6); // the sequence number of a record header...
      out.copy(nonce, 4, HEADER - 8, HEADER); // ...is the explicit nonce
      out.copy(aad, 0, HEADER - 8, HEADER);
      aad.writeUInt16BE(PLAINTEXT, 11);
      nonce.copy(out, HEADER, 4);
      const cipher = createCipheriv('aes-128-gcm', key, nonce, GCM);
      cipher.setAAD(aad);
      cipher.update(plaintext).copy(out, HEADER + EXPLICIT_NONCE);
      cipher.final();
      cipher.getAuthTag().copy(out, DATAGRAM - TAG);
      return out;
    };

    let sent = 0;
    let acked = 0;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const fill = (): void => {
      while (sent < count && sent - acked < WINDOW) socket.send(datagram(sent++));
      if (acked >= count) finished();
    };
    socket.on('message', (ack) => {
      acked = Math.max(acked, ack.readUInt32BE(0));
      fill();
    });
    let last = -1;
    const stall = setInterval(() => {
      if (acked === last) acked = sent; // the window's datagrams were lost
      last = acked;
      fill();
    }, STALL_MS);
    fill();
    await done;
    clearInterval(stall);
    side.signal.send({ type: `${side.session}:sent`, count });
    const report = await side.signal.next(`${side.session}:report`);
    socket.close();
    if (report.error) throw new Error(`receiver: ${report.error}`);
    const seconds = (report.seconds as number) || Number.NaN;
    return {
      'MiB/s': ((report.received as number) * DATAGRAM) / MIB / seconds,
      lost: count - (report.received as number),
    };
  },

  async answerer(side, params) {
    const { socket, aead, count, key, nonce, aad } = await openEnd(side, params);
    const ack = Buffer.alloc(4);
    let received = 0;
    let highest = 0;
    let first = 0;
    let last = 0;
    let error: string | null = null;
    socket.on('message', (d) => {
      last = performance.now();
      if (received++ === 0) first = last;
      const seq = d.readUInt32BE(0);
      if (aead) {
        d.copy(nonce, 4, HEADER, HEADER + EXPLICIT_NONCE);
        d.copy(aad, 0, HEADER - 8, HEADER);
        aad.writeUInt16BE(PLAINTEXT, 11);
        const decipher = createDecipheriv('aes-128-gcm', key, nonce, GCM);
        decipher.setAuthTag(d.subarray(DATAGRAM - TAG));
        decipher.setAAD(aad);
        decipher.update(d.subarray(HEADER + EXPLICIT_NONCE, DATAGRAM - TAG));
        try {
          decipher.final();
        } catch {
          error ??= `datagram ${seq} does not authenticate`;
        }
      }
      highest = Math.max(highest, seq + 1);
      if (received % ACK_EVERY === 0 || highest === count) {
        ack.writeUInt32BE(highest, 0);
        socket.send(ack);
      }
    });
    await side.signal.next(`${side.session}:sent`);
    side.signal.send({
      type: `${side.session}:report`,
      received,
      seconds: (last - first) / 1000,
      error,
    });
    socket.close();
  },
};
