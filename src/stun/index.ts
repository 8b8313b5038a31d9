/** STUN (RFC 8489, 5389): message codec, credentials, client transactions, TURN framing helpers. */

export type { AttributeCodec } from './attributes/codec.js';
export type {
  AddressErrorCode as AddressErrorCodeValue,
  ErrorCode as ErrorCodeValue,
} from './attributes/error-code.js';
export type { Icmp as IcmpValue } from './attributes/icmp.js';
export {
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
  type PasswordAlgorithm as PasswordAlgorithmValue,
} from './attributes/password-algorithms.js';
export * from './attributes.js';
export * from './channel-data.js';
export { crc32 } from './crc32.js';
export * from './credentials.js';
export { MAGIC_COOKIE } from './integrity.js';
export * from './message.js';
export * from './message-type.js';
export * from './response.js';
export { opaqueString, saslprep } from './stringprep.js';
export * from './transaction.js';
export * from './writer.js';
