/**
 * Seeds from a real browser: headless Chromium connects to one of our peer connections in
 * both directions (so that it is once the DTLS server and once the DTLS client), opens
 * channels of each kind, sends messages, closes a channel and then the connection. What
 * Chromium sends is recorded as it arrives: its STUN and DTLS datagrams at our sockets, its
 * SCTP packets once decrypted, its DCEP messages. Written to fuzz/corpus/<target>/ as
 * chromium-NNN.bin:
 *
 *   node --import tsx fuzz/capture-chromium.ts
 */
import type { Socket } from 'node:dgram';
import { DataChannelOpen } from '../src/datachannel/data-channel-open.js';
import { demultiplex } from '../src/net/demux.js';
import { Association } from '../src/sctp/association.js';
import type { RTCDataChannelEvent } from '../src/webrtc/events.js';
import { RTCPeerConnection } from '../src/webrtc/RTCPeerConnection.js';
import { openChromium } from '../test/support/chromium.js';
import { DatagramRecorder } from './capture.js';

const recorder = new DatagramRecorder(150);
let dtlsConnected = false;

// What our stack is handed after decryption: SCTP packets and DCEP opens (taps for this script only).
const handlePacket = Association.prototype.handlePacket;
Association.prototype.handlePacket = function (this: Association, packet: Buffer, now: number) {
  recorder.record('sctp', packet);
  return handlePacket.call(this, packet, now);
};
const decodeOpen = DataChannelOpen.decode;
DataChannelOpen.decode = (buf: Buffer) => {
  recorder.record('dcep', buf);
  return decodeOpen(buf);
};

/** Records every datagram arriving at our UDP sockets. */
function tapSockets(tapped: Set<Socket>): void {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  for (const h of handles) {
    const s = h as Socket & { type?: string };
    if ((s.type !== 'udp4' && s.type !== 'udp6') || tapped.has(s)) continue;
    tapped.add(s);
    s.prependListener('message', (data: Buffer) => {
      const kind = demultiplex(data[0] ?? 255);
      if (kind === 'stun') {
        recorder.record('stun', data);
        recorder.record('ice', data);
      } else if (kind === 'dtls')
        recorder.record(dtlsConnected ? 'dtls-record' : 'dtls-handshake', data);
    });
  }
}

/** Browser code: a connection that opens channels of each kind and reports its description. */
const PAGE_SETUP = `async (offer) => {
  const pc = new RTCPeerConnection();
  window.pc = pc;
  window.channels = [];
  const open = (label, init) => {
    const c = pc.createDataChannel(label, init);
    window.channels.push(c);
    c.onopen = () => {
      c.send('hello from ' + label);
      c.send(new Uint8Array(3000).fill(7));
      c.send('');
    };
  };
  open('reliable', {});
  open('unordered', { ordered: false });
  open('rexmit', { maxRetransmits: 0 });
  open('lifetime', { ordered: false, maxPacketLifeTime: 100, protocol: 'sub' });
  open('negotiated', { negotiated: true, id: 40 });
  if (offer) await pc.setRemoteDescription(offer);
  await pc.setLocalDescription();
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); });
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}`;

async function session(chromiumOffers: boolean): Promise<void> {
  const chromium = await openChromium();
  const ours = new RTCPeerConnection();
  const tapped = new Set<Socket>();
  ours.addEventListener('connectionstatechange', () => {
    if (ours.connectionState === 'connected') dtlsConnected = true;
  });
  ours.ondatachannel = (e) => {
    const { channel } = e as RTCDataChannelEvent;
    channel.onmessage = (m) => channel.send((m as MessageEvent).data as string);
  };
  ours.createDataChannel('negotiated', { negotiated: true, id: 40 });
  const gathered = () =>
    new Promise<void>((resolve) => {
      if (ours.iceGatheringState === 'complete') resolve();
      else
        ours.addEventListener(
          'icegatheringstatechange',
          () => ours.iceGatheringState === 'complete' && resolve(),
        );
    });
  try {
    const setup = (offer: unknown) =>
      chromium.page.evaluate(`(${PAGE_SETUP})(${JSON.stringify(offer)})`) as Promise<{
        type: 'offer' | 'answer';
        sdp: string;
      }>;
    if (chromiumOffers) {
      await ours.setRemoteDescription(await setup(null));
      await ours.setLocalDescription();
      await gathered();
      tapSockets(tapped);
      const answer = ours.localDescription!;
      await chromium.page.evaluate(
        `window.pc.setRemoteDescription(${JSON.stringify({ type: answer.type, sdp: answer.sdp })})`,
      );
    } else {
      ours.createDataChannel('ours');
      await ours.setLocalDescription();
      await gathered();
      tapSockets(tapped);
      const offer = ours.localDescription!;
      await ours.setRemoteDescription(await setup({ type: offer.type, sdp: offer.sdp }));
    }
    // Channels open and talk; then one closes (a stream reset) and the connection ends.
    await new Promise((r) => setTimeout(r, 3000));
    await chromium.page.evaluate('window.channels[0].close()');
    await new Promise((r) => setTimeout(r, 1000));
    await chromium.page.evaluate('window.pc.close()');
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    ours.close();
    dtlsConnected = false;
    await chromium.close();
  }
}

await session(true);
await session(false);
recorder.write('chromium');
