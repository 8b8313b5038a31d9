/**
 * Run by close-exits.test.ts in a process of its own: connections in several states are
 * closed, and the process must then exit by itself (no socket, timer or handle left).
 */
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import { negotiate, once, trickle } from '../webrtc/pc-helpers.js';

// Connected, with a channel that carried data and stats read.
const a = new RTCPeerConnection();
const b = new RTCPeerConnection();
trickle(a, b);
const channel = a.createDataChannel('x');
const remote = once<Event & { channel: EventTarget }>(b, 'datachannel');
await negotiate(a, b);
await once(channel, 'open');
const { channel: other } = await remote;
const message = once(other, 'message');
channel.send('hello');
await message;
await a.getStats();

// Gathering into the candidate pool, never negotiated.
const pooled = new RTCPeerConnection({ iceCandidatePoolSize: 2 });
// Mid-negotiation: an offer set, candidates gathering, an operation in flight.
const offering = new RTCPeerConnection();
offering.createDataChannel('y');
await offering.setLocalDescription();
void offering.createOffer().catch(() => {});

for (const pc of [a, b, pooled, offering]) pc.close();
process.stdout.write('closed\n');
