/**
 * RFC 8445 §5.1.1.3: candidates share a foundation when they have the same type, their
 * bases the same IP address, the same STUN/TURN server IP address (for reflexive and
 * relayed ones) and the same transport protocol.
 */
import type { CandidateProtocol, CandidateType } from './candidate.js';

export class Foundations {
  readonly #byKey = new Map<string, string>();

  get(
    type: CandidateType,
    baseAddress: string,
    protocol: CandidateProtocol,
    serverAddress = '',
  ): string {
    const key = `${type} ${baseAddress} ${serverAddress} ${protocol}`;
    let foundation = this.#byKey.get(key);
    if (foundation === undefined) {
      foundation = String(this.#byKey.size + 1);
      this.#byKey.set(key, foundation);
    }
    return foundation;
  }
}
