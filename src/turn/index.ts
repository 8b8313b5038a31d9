/** TURN (RFC 8656): the sans-IO client core, stream framing, and allocations on Node sockets. */
export * from './client.js';
export { LongTermCredentials, securityFeatures } from './long-term-credentials.js';
export { openServerTransport, type ServerTransport } from './server-transport.js';
export * from './stream-framer.js';
export * from './turn-socket.js';
