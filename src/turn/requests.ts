/**
 * The TURN messages a client sends (RFC 8656 §7-§12), before the credentials are added:
 * Allocate, Refresh, CreatePermission and ChannelBind requests, and the Send indication.
 */
import type { TransportAddress } from '../net/address.js';
import {
  ChannelNumber,
  Data,
  Lifetime,
  Method,
  RequestedAddressFamily,
  RequestedTransport,
  Software,
  StunWriter,
  TRANSPORT_UDP,
  XorPeerAddress,
} from '../stun/index.js';

export interface AllocateParameters {
  /** Seconds; the server's default (600) when undefined. */
  lifetime?: number;
  /** REQUESTED-ADDRESS-FAMILY; IPv4 (attribute left out) when undefined. */
  addressFamily?: number;
  software?: string;
}

/** §7.1: a UDP relay. */
export function allocateRequest(parameters: AllocateParameters): StunWriter {
  const writer = new StunWriter(Method.Allocate, 'request').add(RequestedTransport, TRANSPORT_UDP);
  if (parameters.lifetime !== undefined) writer.add(Lifetime, parameters.lifetime);
  if (parameters.addressFamily !== undefined)
    writer.add(RequestedAddressFamily, parameters.addressFamily);
  if (parameters.software !== undefined) writer.add(Software, parameters.software);
  return writer;
}

/** §8.1: LIFETIME 0 deletes the allocation; undefined keeps the server's default. */
export function refreshRequest(lifetime: number | undefined, software?: string): StunWriter {
  const writer = new StunWriter(Method.Refresh, 'request');
  if (lifetime !== undefined) writer.add(Lifetime, lifetime);
  if (software !== undefined) writer.add(Software, software);
  return writer;
}

/** §9.1: one XOR-PEER-ADDRESS per IP; the ports are ignored. */
export function createPermissionRequest(addresses: readonly string[]): StunWriter {
  const writer = new StunWriter(Method.CreatePermission, 'request');
  for (const address of addresses) writer.add(XorPeerAddress, { address, port: 0 });
  return writer;
}

/** §12.1. */
export function channelBindRequest(channelNumber: number, peer: TransportAddress): StunWriter {
  return new StunWriter(Method.ChannelBind, 'request')
    .add(ChannelNumber, channelNumber)
    .add(XorPeerAddress, peer);
}

/** §11.1: data for a peer with a permission but no channel. Indications are not signed. */
export function sendIndication(address: string, port: number, data: Uint8Array): Buffer {
  return new StunWriter(Method.Send, 'indication')
    .add(XorPeerAddress, { address, port })
    .add(Data, Buffer.from(data.buffer, data.byteOffset, data.length))
    .finish();
}
