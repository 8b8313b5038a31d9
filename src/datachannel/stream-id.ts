/**
 * Stream identifiers of in-band channels (RFC 8832 §6): the DTLS client takes even ids, the
 * DTLS server odd ones, so that both ends can open channels at once without clashing. The
 * id is the lowest free one of our parity.
 */
export type DtlsRole = 'client' | 'server';

/** The highest stream id a channel may use (65535 is reserved, W3C webrtc-pc §6.1). */
export const MAX_CHANNEL_ID = 65534;

/**
 * The lowest id of `role`'s parity below `maxStreams` for which `inUse` is false, or
 * undefined when there is none.
 */
export function allocateStreamId(
  role: DtlsRole,
  inUse: (id: number) => boolean,
  maxStreams = 65535,
): number | undefined {
  const limit = Math.min(maxStreams - 1, MAX_CHANNEL_ID);
  for (let id = role === 'client' ? 0 : 1; id <= limit; id += 2) if (!inUse(id)) return id;
  return undefined;
}

/** Whether the peer of an end with `role` may open a channel on `id`. */
export function isPeerStreamId(role: DtlsRole, id: number): boolean {
  return id % 2 === (role === 'client' ? 1 : 0);
}
