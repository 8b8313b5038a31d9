/**
 * The checklist of one data stream (RFC 8445 §6.1.2) with its triggered-check queue
 * (§6.1.4.1): pairs in decreasing priority, pruned of redundant ones, bounded in number,
 * and the choice of the next pair to check when Ta fires (§6.1.4.2).
 */
import type { CandidateBase } from './base.js';
import type { CandidatePair } from './pair.js';

export type ChecklistState = 'running' | 'completed' | 'failed';

export class Checklist {
  /** In decreasing priority. */
  readonly pairs: CandidatePair[] = [];
  readonly triggered: CandidatePair[] = [];
  state: ChecklistState = 'running';

  /** §6.1.2.5: at most this many pairs (100 by default). */
  constructor(readonly maxPairs: number) {}

  /** The pair whose local candidate sits on `base` and whose remote is at `address`:`port`. */
  find(base: CandidateBase, address: string, port: number): CandidatePair | undefined {
    for (const pair of this.pairs)
      if (pair.local.base === base && pair.remote.port === port && pair.remote.address === address)
        return pair;
    return undefined;
  }

  /**
   * Adds a pair (its local candidate is a host or relayed one: reflexive candidates are
   * replaced by their bases, §6.1.2.4). Returns the pair it is redundant with, the pair
   * itself, or undefined when the list is full of higher-priority pairs.
   */
  add(pair: CandidatePair): CandidatePair | undefined {
    const existing = this.find(pair.local.base, pair.remote.address, pair.remote.port);
    if (existing) return existing;
    if (this.pairs.length >= this.maxPairs && !this.#dropLowest(pair.priority)) return undefined;
    // Trickle (RFC 8838 §8): a new pair waits its turn only behind a pair of its foundation
    // that is about to tell the outcome.
    pair.state = this.#foundationPending(pair.foundation) ? 'frozen' : 'waiting';
    let i = this.pairs.length;
    while (i > 0 && this.pairs[i - 1]!.priority < pair.priority) i--;
    this.pairs.splice(i, 0, pair);
    if (this.state === 'failed') this.state = 'running';
    return pair;
  }

  /** Puts a pair in the triggered-check queue (once) and in the Waiting state. */
  enqueue(pair: CandidatePair): void {
    pair.state = 'waiting';
    if (pair.queued) return;
    pair.queued = true;
    this.triggered.push(pair);
  }

  /** §6.1.4.2: the pair to check when Ta fires, or undefined when there is none. */
  next(ordinary: boolean): CandidatePair | undefined {
    for (let pair = this.triggered.shift(); pair; pair = this.triggered.shift()) {
      pair.queued = false;
      if (!settled(pair)) return pair;
    }
    if (!ordinary || this.state !== 'running') return undefined;
    // Step 2: with nothing Waiting, unfreeze one pair per foundation that has none in progress.
    if (!this.pairs.some((p) => p.state === 'waiting'))
      for (const pair of this.pairs)
        if (pair.state === 'frozen' && !this.#foundationPending(pair.foundation))
          pair.state = 'waiting';
    return this.pairs.find((p) => p.state === 'waiting');
  }

  /** Whether next() would return a pair. */
  hasNext(ordinary: boolean): boolean {
    if (this.triggered.some((p) => !settled(p))) return true;
    if (!ordinary || this.state !== 'running') return false;
    return this.pairs.some(
      (p) =>
        p.state === 'waiting' || (p.state === 'frozen' && !this.#foundationPending(p.foundation)),
    );
  }

  /** §7.2.5.3.3: a success unfreezes the Frozen pairs of its foundation. */
  unfreeze(foundation: string): void {
    for (const pair of this.pairs)
      if (pair.state === 'frozen' && pair.foundation === foundation) pair.state = 'waiting';
  }

  /** Checks still to come: pairs Frozen, Waiting or In-Progress, or queued. */
  get pending(): boolean {
    return (
      this.triggered.length > 0 ||
      this.pairs.some((p) => p.state !== 'succeeded' && p.state !== 'failed')
    );
  }

  /** Number of pairs Waiting or In-Progress (RFC 8445 §14.3's RTO formula). */
  get active(): number {
    let n = 0;
    for (const p of this.pairs) if (p.state === 'waiting' || p.state === 'in-progress') n++;
    return n;
  }

  /** After a role change: priorities depend on the role. */
  reorder(controlling: boolean): void {
    for (const pair of this.pairs) pair.updatePriority(controlling);
    this.pairs.sort((a, b) => (a.priority < b.priority ? 1 : a.priority > b.priority ? -1 : 0));
  }

  /** §7.2.5.4: Failed when every pair failed or succeeded and none is valid. */
  updateState(hasValidPair: boolean): void {
    if (this.state !== 'running') return;
    if (!hasValidPair && !this.pending && this.pairs.length > 0) this.state = 'failed';
  }

  /** Removes pairs of a remote candidate (or all of a local one), dropping them from the queue. */
  remove(match: (pair: CandidatePair) => boolean): CandidatePair[] {
    const removed = this.pairs.filter(match);
    if (removed.length === 0) return removed;
    const keep = this.pairs.filter((p) => !match(p));
    this.pairs.length = 0;
    this.pairs.push(...keep);
    const queue = this.triggered.filter((p) => !match(p));
    this.triggered.length = 0;
    this.triggered.push(...queue);
    for (const pair of removed) pair.queued = false;
    return removed;
  }

  #foundationPending(foundation: string): boolean {
    return this.pairs.some(
      (p) => p.foundation === foundation && (p.state === 'waiting' || p.state === 'in-progress'),
    );
  }

  /** Makes room for a pair of `priority` by dropping the lowest pair not being checked. */
  #dropLowest(priority: bigint): boolean {
    for (let i = this.pairs.length - 1; i >= 0; i--) {
      const pair = this.pairs[i]!;
      if (pair.priority >= priority) return false;
      if (pair.state === 'in-progress' || pair.state === 'succeeded' || pair.queued) continue;
      this.pairs.splice(i, 1);
      return true;
    }
    return false;
  }
}

/**
 * A queued pair whose check succeeded meanwhile (a response to the check its trigger
 * cancelled) needs no new check, unless it carries a nomination. Without this, two agents
 * whose checks cross keep cancelling and re-triggering each other.
 */
function settled(pair: CandidatePair): boolean {
  return pair.state === 'succeeded' && !pair.nominating;
}
