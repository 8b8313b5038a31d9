/**
 * A channel binding (RFC 8656 §12): a channel number (0x4000-0x4FFF) bound to one peer
 * transport address, so that data travels in 4-byte ChannelData headers instead of Send
 * and Data indications. A binding lasts 10 minutes from its ChannelBind; we refresh a used
 * one a minute before. A number stays with its peer for the allocation's life: §12 forbids
 * rebinding it to another peer for 5 minutes after expiry, and rebinding it to the same peer
 * is always allowed.
 */
import type { Permission } from './permission.js';

/** §12: a channel binding lasts 10 minutes. */
export const CHANNEL_LIFETIME = 600_000;
export const CHANNEL_REFRESH = 540_000;

export type ChannelState =
  /** Not bound yet, or expired unused: the next data to the peer binds it again. */
  | 'unbound'
  /** ChannelBind sent: the server may already send ChannelData; we still send indications. */
  | 'binding'
  | 'bound'
  /** The server refused it: indications only, until bindChannel() is called again. */
  | 'failed';

export class ChannelBinding {
  state: ChannelState = 'unbound';
  requesting = false;
  used = true;
  expiresAt = Number.POSITIVE_INFINITY;
  refreshAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly number: number,
    readonly permission: Permission,
    readonly port: number,
  ) {}

  get address(): string {
    return this.permission.address;
  }

  bound(sentAt: number): void {
    this.state = 'bound';
    this.expiresAt = sentAt + CHANNEL_LIFETIME;
    this.refreshAt = sentAt + CHANNEL_REFRESH;
  }

  deadline(): number {
    if (this.requesting || this.state !== 'bound') return Number.POSITIVE_INFINITY;
    return this.used ? this.refreshAt : this.expiresAt;
  }
}
