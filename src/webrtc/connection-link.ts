/**
 * What the objects an RTCPeerConnection owns (transceivers, senders, receivers) may ask
 * of it. An interface here keeps those files from importing RTCPeerConnection itself.
 */
import type { RTCStatsReport } from './RTCStatsReport.js';

export interface ConnectionLink {
  /** [[IsClosed]]. */
  readonly isClosed: boolean;
  /** [[ConnectionState]]. */
  readonly connectionState: string;
  /** The RTCP CNAME of the connection (RFC 7022: one random CNAME per connection). */
  readonly cname: string;
  /** "Update the negotiation-needed flag". */
  updateNegotiationNeeded(): void;
  /** "Chain an asynchronous operation" to [[Operations]]. */
  chain<T>(operation: () => Promise<T>): Promise<T>;
  /** getStats() for a sender or receiver selector. */
  statsFor(selector: object): Promise<RTCStatsReport>;
}
