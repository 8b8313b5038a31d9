/** ICE (RFC 8445, 8838, 7675): the sans-IO agent, its UDP wrapper, and the candidate model. */
export * from './agent.js';
export type { CandidateBase } from './base.js';
export * from './candidate.js';
export type { ConsentOptions } from './consent.js';
export * from './credentials.js';
export type { LocalCandidate, PairCredentials, PairState } from './pair.js';
export { CandidatePair } from './pair.js';
export { pairPriority } from './priority.js';
export * from './udp-agent.js';
