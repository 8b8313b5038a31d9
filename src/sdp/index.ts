/** SDP for WebRTC: the model, parser and serializer, attribute grammars, validation, and builder. */

export * from './attributes/direction.js';
export * from './attributes/dtls.js';
export * from './attributes/extmap.js';
export * from './attributes/grouping.js';
export * from './attributes/ice.js';
export * from './attributes/msid.js';
export * from './attributes/rid.js';
export * from './attributes/rtp.js';
export * from './attributes/sctp.js';
export * from './attributes/simulcast.js';
export * from './attributes/ssrc.js';
export * from './builder.js';
export * from './candidate.js';
export * from './description.js';
export * from './error.js';
export * from './parse.js';
export * from './serialize.js';
export * from './transport.js';
export * from './validate.js';
