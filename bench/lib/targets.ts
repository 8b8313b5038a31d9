/**
 * purertc's performance targets, checked against a run's results: what each asks, the
 * figure measured, and whether it holds. A target whose figures the run did not measure
 * is left out.
 */

export interface Row {
  config: string;
  summary: Record<string, { median: number; p90: number }>;
}

export interface Result {
  case: string;
  workload: string;
  mode: 'one' | 'cross';
  params: Record<string, number | boolean | string>;
  rows: Row[];
}

// The targets' thresholds.
const SETUP_MEDIAN_MS = 10;
const SETUP_P90_MS = 20;
const OF_CEILING = 0.9;
const OVER_WERIFT = 8;
const PING_PONG_P50_US = 150;
/** Idle CPU per 100 connections (RTCPeerConnections), % of one core. */
const IDLE_PER_100 = 1;
const RSS_KIB = 260;

export interface Check {
  target: string;
  measured: string;
  met: boolean;
}

const fig = (r: Result | undefined, config: string, name: string, q: 'median' | 'p90' = 'median') =>
  r?.rows.find((row) => row.config === config)?.summary[name]?.[q];

const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const modeName = (mode: string) => (mode === 'one' ? 'one process' : 'a process per peer');

export function checkTargets(results: readonly Result[]): Check[] {
  const checks: Check[] = [];
  const add = (
    target: string,
    measured: number | undefined,
    limit: number,
    above: boolean,
    unit = '',
  ) => {
    if (measured === undefined || !Number.isFinite(measured)) return;
    checks.push({
      target,
      measured: `${f(measured)}${unit}`,
      met: above ? measured >= limit : measured <= limit,
    });
  };
  for (const r of results) {
    const where = modeName(r.mode);
    switch (r.workload) {
      case 'setup':
        add(
          `setup median ≤ ${SETUP_MEDIAN_MS} ms (${where})`,
          fig(r, 'purertc', 'ms'),
          SETUP_MEDIAN_MS,
          false,
          ' ms',
        );
        add(
          `setup p90 ≤ ${SETUP_P90_MS} ms (${where})`,
          fig(r, 'purertc', 'ms', 'p90'),
          SETUP_P90_MS,
          false,
          ' ms',
        );
        break;
      case 'transfer': {
        const ours = fig(r, 'purertc', 'MiB/s');
        if (ours === undefined) break;
        const what =
          r.params.size === 100
            ? 'small messages'
            : `throughput, ${Number(r.params.size) / 1024} KiB ${r.params.ordered === false ? 'unordered' : 'ordered'}`;
        if (r.params.size === 100) {
          const theirs = fig(r, 'node-datachannel', 'messages/s');
          const mine = fig(r, 'purertc', 'messages/s');
          if (theirs !== undefined && mine !== undefined)
            add(`${what}/s ≥ node-datachannel's (${where})`, mine / theirs, 1, true, '×');
          break;
        }
        if (r.mode === 'one') {
          const ceiling = results.find(
            (c) => c.workload === 'ceiling' && c.mode === 'one' && c.params.aead === true,
          );
          const limit = fig(ceiling, 'node:dgram', 'MiB/s');
          if (limit !== undefined)
            add(
              `${what}: ≥ ${OF_CEILING} × the AES-GCM ceiling (${where})`,
              ours / limit,
              OF_CEILING,
              true,
              '×',
            );
        } else {
          const theirs = fig(r, 'node-datachannel', 'MiB/s');
          const mixed = fig(r, 'purertc → node-datachannel', 'MiB/s');
          if (theirs !== undefined) {
            add(`${what}: ≥ node-datachannel's own (${where})`, ours / theirs, 1, true, '×');
            if (mixed !== undefined)
              add(
                `${what}: to node-datachannel ≥ its own (${where})`,
                mixed / theirs,
                1,
                true,
                '×',
              );
          }
        }
        const werift = fig(r, 'werift', 'MiB/s');
        if (werift !== undefined)
          add(
            `${what}: ≥ ${OVER_WERIFT} × werift (${where})`,
            ours / werift,
            OVER_WERIFT,
            true,
            '×',
          );
        break;
      }
      case 'pingpong':
        add(
          `ping-pong p50 ≤ ${PING_PONG_P50_US} µs (${where})`,
          fig(r, 'purertc', 'p50 µs'),
          PING_PONG_P50_US,
          false,
          ' µs',
        );
        break;
      case 'scale': {
        const connections = 2 * Number(r.params.pairs);
        const idle = fig(r, 'purertc', 'idle CPU %');
        if (idle !== undefined)
          add(
            `idle CPU < ${IDLE_PER_100}% of a core per 100 connections (${connections} idle)`,
            (idle * 100) / connections,
            IDLE_PER_100,
            false,
            '%',
          );
        add(
          `RSS ≤ ${RSS_KIB} KiB per connection (${connections})`,
          fig(r, 'purertc', 'RSS KiB/pc'),
          RSS_KIB,
          false,
          ' KiB',
        );
        break;
      }
    }
  }
  return checks;
}
