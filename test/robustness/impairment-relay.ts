/**
 * A lossy link between two peer connections on real sockets: a UDP relay that stands for
 * each peer to the other and loses, delays, reorders and duplicates what it forwards. The
 * kernel's netem would do this, but it is not available here (see the robustness README);
 * this is the same impairment in user space.
 *
 * Each peer is told of one candidate only, the relay's face for the other peer; the relay
 * learns the peers' real addresses from what they send it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { hostAddresses } from '../../src/net/interfaces.js';
import type { RTCPeerConnectionIceEvent } from '../../src/webrtc/events.js';
import type { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { prng } from '../support/simnet.js';

export interface Impairment {
  /** Probability (0..1) that a datagram is lost. */
  loss: number;
  /** One-way delay in ms, plus up to `jitter` ms more (which reorders). */
  delay: number;
  jitter: number;
  /** Probability (0..1) that a datagram is delivered twice. */
  duplicate: number;
  seed?: number;
}

interface Face {
  socket: Socket;
  port: number;
  /** The real address of the peer this face talks to, once it has sent something. */
  peer: { address: string; port: number } | undefined;
}

export class ImpairmentRelay {
  readonly stats = { forwarded: 0, lost: 0, duplicated: 0 };
  readonly #random: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #faces: [Face, Face] | undefined;
  #closed = false;

  constructor(
    readonly impairment: Impairment,
    /** An address the peer connections bind too (they leave out loopback when they can). */
    readonly address = (hostAddresses().find((h) => h.family === 4) ?? hostAddresses()[0]!).address,
  ) {
    this.#random = prng(impairment.seed ?? 1);
  }

  /** Joins a and b through the relay: their candidates go to each other rewritten to its faces. */
  async join(a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> {
    const faces = (await Promise.all([this.#bind(), this.#bind()])) as [Face, Face];
    this.#faces = faces;
    // What a sends arrives at faces[1] (b's stand-in) and leaves by faces[0] towards b.
    this.#forward(faces[1], faces[0]);
    this.#forward(faces[0], faces[1]);
    this.#announce(a, b, faces[0]);
    this.#announce(b, a, faces[1]);
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const face of this.#faces ?? []) face.socket.close();
  }

  /** from's first candidate reaches `to` as the address of `face`; the end of candidates too. */
  #announce(from: RTCPeerConnection, to: RTCPeerConnection, face: Face): void {
    let announced = false;
    from.addEventListener('icecandidate', (e) => {
      const { candidate } = e as RTCPeerConnectionIceEvent;
      if (to.signalingState === 'closed') return;
      if (candidate === null) {
        to.addIceCandidate(undefined).catch(() => {});
        return;
      }
      if (announced) return;
      announced = true;
      to.addIceCandidate({
        candidate: `candidate:1 1 udp 2130706431 ${this.address} ${face.port} typ host`,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
      }).catch(() => {});
    });
  }

  /** What arrives at `inbound` goes out of `outbound` to the peer behind it, impaired. */
  #forward(inbound: Face, outbound: Face): void {
    inbound.socket.on('message', (data, rinfo) => {
      inbound.peer = { address: rinfo.address, port: rinfo.port };
      const to = outbound.peer;
      if (to === undefined || this.#closed) return; // not heard from yet: ICE retransmits
      const { loss, delay, jitter, duplicate } = this.impairment;
      if (this.#random() < loss) return void this.stats.lost++;
      const copies = this.#random() < duplicate ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let i = 0; i < copies; i++) {
        const timer = setTimeout(
          () => {
            this.#timers.delete(timer);
            if (this.#closed) return;
            this.stats.forwarded++;
            outbound.socket.send(data, to.port, to.address);
          },
          delay + this.#random() * jitter,
        );
        this.#timers.add(timer);
      }
    });
  }

  #bind(): Promise<Face> {
    const socket = createSocket(this.address.includes(':') ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, this.address, () =>
        resolve({ socket, port: socket.address().port, peer: undefined }),
      );
    });
  }
}
