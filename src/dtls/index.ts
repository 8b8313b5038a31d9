/**
 * DTLS 1.2 (RFC 6347): the sans-IO connection, client or server, its UDP wrapper, the
 * certificate fingerprints of SDP, and the DTLS-SRTP keys (RFC 5764).
 */
export type { DtlsErrorDetail, DtlsFailure } from './alert.js';
export { CipherSuite, type CipherSuiteParameters, defaultCipherSuites } from './cipherSuites.js';
export * from './connection.js';
export { NamedGroup } from './constants.js';
export type { DtlsCertificate } from './credentials.js';
export { defaultGroups } from './ecdhe.js';
export * from './fingerprint.js';
export type { RecordProtection } from './recordProtection.js';
export * from './socket.js';
export * from './srtp.js';
