// Two RTCPeerConnections in one process: a data channel between them, a message each way,
// then close. The same code runs in a browser; here both ends are purertc.
//
//   npm run build && node examples/datachannel.mjs

// RTCPeerConnection is not exported from the package entry yet; this is its built module.
import { RTCPeerConnection } from '../dist/index.js';

const alice = new RTCPeerConnection();
const bob = new RTCPeerConnection();

// Signaling would cross a network; here each side hands its ICE candidates straight over.
alice.onicecandidate = ({ candidate }) => bob.addIceCandidate(candidate);
bob.onicecandidate = ({ candidate }) => alice.addIceCandidate(candidate);

// Bob answers the channel Alice opens, and replies to her message.
bob.ondatachannel = ({ channel }) => {
  channel.onmessage = ({ data }) => {
    console.log(`bob got: ${data}`);
    channel.send(`hi alice, bob here (you said "${data}")`);
  };
};

const channel = alice.createDataChannel('chat');
const reply = new Promise((resolve) => {
  channel.onmessage = ({ data }) => resolve(data);
});
channel.onopen = () => {
  console.log(`channel "${channel.label}" open (id ${channel.id})`);
  channel.send('hello bob');
};

// Offer and answer.
await alice.setLocalDescription();
await bob.setRemoteDescription(alice.localDescription);
await bob.setLocalDescription();
await alice.setRemoteDescription(bob.localDescription);

console.log(`alice got: ${await reply}`);
const closed = new Promise((resolve) => {
  channel.onclose = resolve;
});
channel.close();
await closed;
console.log('channel closed');
alice.close();
bob.close();
