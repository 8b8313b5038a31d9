/**
 * The STUN attributes we read and write, by the RFCs' names, types and value formats.
 * Types below 0x8000 are comprehension-required: a request carrying one we do not know
 * is answered 420 (RFC 8489 §6.3.1.1).
 */
import { addressAttribute } from './attributes/address.js';
import type { AttributeCodec } from './attributes/codec.js';
import { addressErrorCodeAttribute, errorCodeAttribute } from './attributes/error-code.js';
import { evenPortAttribute, flagAttribute } from './attributes/flag.js';
import { icmpAttribute } from './attributes/icmp.js';
import { leadingFieldAttribute, uint32Attribute, uint64Attribute } from './attributes/integer.js';
import { opaqueAttribute } from './attributes/opaque.js';
import {
  passwordAlgorithmAttribute,
  passwordAlgorithmsAttribute,
} from './attributes/password-algorithms.js';
import { textAttribute } from './attributes/text.js';
import { unknownAttributesAttribute } from './attributes/unknown-attributes.js';

// RFC 8489 STUN
export const MappedAddress = addressAttribute(0x0001, 'MAPPED-ADDRESS', false);
export const Username = textAttribute(0x0006, 'USERNAME', 513);
export const MessageIntegrity = opaqueAttribute(0x0008, 'MESSAGE-INTEGRITY', 20, 20);
export const ErrorCode = errorCodeAttribute;
export const UnknownAttributes = unknownAttributesAttribute;
export const Realm = textAttribute(0x0014, 'REALM', 763);
export const Nonce = textAttribute(0x0015, 'NONCE', 763);
export const MessageIntegritySha256 = opaqueAttribute(
  0x001c,
  'MESSAGE-INTEGRITY-SHA256',
  16,
  32,
  4,
);
export const PasswordAlgorithm = passwordAlgorithmAttribute;
export const Userhash = opaqueAttribute(0x001e, 'USERHASH', 32, 32);
export const XorMappedAddress = addressAttribute(0x0020, 'XOR-MAPPED-ADDRESS', true);
export const PasswordAlgorithms = passwordAlgorithmsAttribute;
export const AlternateDomain = textAttribute(0x8003, 'ALTERNATE-DOMAIN', 255);
export const Software = textAttribute(0x8022, 'SOFTWARE', 763);
export const AlternateServer = addressAttribute(0x8023, 'ALTERNATE-SERVER', false);
export const Fingerprint = uint32Attribute(0x8028, 'FINGERPRINT');

// RFC 8445 ICE
export const Priority = uint32Attribute(0x0024, 'PRIORITY');
export const UseCandidate = flagAttribute(0x0025, 'USE-CANDIDATE');
export const IceControlled = uint64Attribute(0x8029, 'ICE-CONTROLLED');
export const IceControlling = uint64Attribute(0x802a, 'ICE-CONTROLLING');

// RFC 8656 TURN
export const ChannelNumber = leadingFieldAttribute(0x000c, 'CHANNEL-NUMBER', 16);
export const Lifetime = uint32Attribute(0x000d, 'LIFETIME');
export const XorPeerAddress = addressAttribute(0x0012, 'XOR-PEER-ADDRESS', true, true);
export const Data = opaqueAttribute(0x0013, 'DATA', 0, 0xffff);
export const XorRelayedAddress = addressAttribute(0x0016, 'XOR-RELAYED-ADDRESS', true, true);
export const RequestedAddressFamily = leadingFieldAttribute(0x0017, 'REQUESTED-ADDRESS-FAMILY', 8);
export const EvenPort = evenPortAttribute;
export const RequestedTransport = leadingFieldAttribute(0x0019, 'REQUESTED-TRANSPORT', 8);
export const DontFragment = flagAttribute(0x001a, 'DONT-FRAGMENT');
export const ReservationToken = opaqueAttribute(0x0022, 'RESERVATION-TOKEN', 8, 8);
export const AdditionalAddressFamily = leadingFieldAttribute(
  0x8000,
  'ADDITIONAL-ADDRESS-FAMILY',
  8,
);
export const AddressErrorCode = addressErrorCodeAttribute;
export const Icmp = icmpAttribute;

// RFC 6062 TURN-TCP
export const ConnectionId = uint32Attribute(0x002a, 'CONNECTION-ID');

/** Address family values of REQUESTED-ADDRESS-FAMILY and friends (RFC 8656 §18.7). */
export const ADDRESS_FAMILY_IPV4 = 0x01;
export const ADDRESS_FAMILY_IPV6 = 0x02;
/** REQUESTED-TRANSPORT protocol numbers (IANA): UDP, and TCP for RFC 6062. */
export const TRANSPORT_UDP = 17;
export const TRANSPORT_TCP = 6;

const ALL: readonly AttributeCodec<unknown>[] = [
  MappedAddress,
  Username,
  MessageIntegrity,
  ErrorCode,
  UnknownAttributes,
  Realm,
  Nonce,
  MessageIntegritySha256,
  PasswordAlgorithm,
  Userhash,
  XorMappedAddress,
  PasswordAlgorithms,
  AlternateDomain,
  Software,
  AlternateServer,
  Fingerprint,
  Priority,
  UseCandidate,
  IceControlled,
  IceControlling,
  ChannelNumber,
  Lifetime,
  XorPeerAddress,
  Data,
  XorRelayedAddress,
  RequestedAddressFamily,
  EvenPort,
  RequestedTransport,
  DontFragment,
  ReservationToken,
  AdditionalAddressFamily,
  AddressErrorCode,
  Icmp,
  ConnectionId,
] as AttributeCodec<unknown>[];

/** Every attribute above, by type. */
export const attributeCodecs: ReadonlyMap<number, AttributeCodec<unknown>> = new Map(
  ALL.map((codec) => [codec.type, codec]),
);

/** RFC 8489 §14: types 0x0000-0x7FFF must be understood by the receiver. */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

export function attributeName(type: number): string {
  return attributeCodecs.get(type)?.name ?? `0x${type.toString(16).padStart(4, '0')}`;
}
