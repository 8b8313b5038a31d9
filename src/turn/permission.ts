/**
 * A permission (RFC 8656 §9): the server relays between the relayed address and a peer IP
 * only while a permission for that IP is installed. It lasts 300 s from the request that
 * installed or refreshed it (CreatePermission, or ChannelBind for that IP); we refresh
 * it after 240 s when it was used. Data for a peer whose permission is not installed
 * yet waits in a bounded queue.
 */
import type { ChannelBinding } from './channel-binding.js';

/** §9: permissions last 300 seconds. */
export const PERMISSION_LIFETIME = 300_000;
/** When a used permission is refreshed: a minute before it expires. */
export const PERMISSION_REFRESH = 240_000;

export type PermissionState =
  /** Asked for, no success yet: data is queued. */
  | 'pending'
  | 'installed'
  /** Not refreshed in time (unused): the next data asks again. */
  | 'expired'
  /** The server refused it: data is dropped until the entry is forgotten. */
  | 'failed';

export interface QueuedPacket {
  /** A copy: the caller may reuse its buffer. */
  data: Buffer;
  port: number;
}

export class Permission {
  state: PermissionState = 'pending';
  /** A CreatePermission (or ChannelBind) for this IP is in flight. */
  requesting = false;
  /** Data went to or came from the peer since the last refresh. */
  used = true;
  /** When the server forgets it (installed), or when a failed entry is forgotten. */
  expiresAt = Number.POSITIVE_INFINITY;
  refreshAt = Number.POSITIVE_INFINITY;
  queue: QueuedPacket[] = [];
  queuedBytes = 0;
  /** The channels bound to ports of this IP; scanned by port on every send (a few at most). */
  readonly channels: ChannelBinding[] = [];

  constructor(readonly address: string) {}

  /** The server has it from `sentAt` (when the request that installed or refreshed it went out). */
  installed(sentAt: number): void {
    const expiresAt = sentAt + PERMISSION_LIFETIME;
    if (this.state !== 'installed' || expiresAt > this.expiresAt) this.expiresAt = expiresAt;
    this.state = 'installed';
    this.refreshAt = this.expiresAt - (PERMISSION_LIFETIME - PERMISSION_REFRESH);
  }

  /** When the client next has to look at it. */
  deadline(): number {
    if (this.requesting) return Number.POSITIVE_INFINITY;
    if (this.state === 'installed') return this.used ? this.refreshAt : this.expiresAt;
    if (this.state === 'failed') return this.expiresAt;
    return Number.POSITIVE_INFINITY;
  }
}
