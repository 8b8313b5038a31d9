/**
 * Setup: a new RTCPeerConnection on each side to a data channel that carries a message
 * back, with trickle ICE. The clock runs on the offerer from before its constructor until
 * the answerer's first message arrives: ICE, DTLS, SCTP, DCEP and one message each way.
 */
import { answer, hangUp, offer } from '../lib/session.js';
import type { PairWorkload } from '../lib/workload.js';

export const setup: PairWorkload = {
  kind: 'pair',
  async offerer(side) {
    const start = performance.now();
    let replied!: () => void;
    const reply = new Promise<void>((resolve) => {
      replied = resolve;
    });
    const { pc } = await offer(side, {}, (channel) =>
      channel.addEventListener('message', () => replied()),
    );
    await reply;
    const ms = performance.now() - start;
    await hangUp(side, pc);
    return { ms };
  },
  async answerer(side) {
    const { pc, channel } = await answer(side);
    channel.send('hello');
    await hangUp(side, pc);
  },
};
