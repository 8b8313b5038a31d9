/**
 * `npm run bench`: purertc against the other WebRTC stacks for Node in the same run.
 *
 *   node --import tsx bench/run.ts [options]
 *
 * Every benchmark runs each stack in turn (purertc, werift, node-datachannel, wrtc,
 * purertc, ...), each in child processes of its own: both peers in one process, or each
 * peer in its own process with signaling through this one; the cross-process mode adds
 * purertc against node-datachannel both ways. Each stack has one warm-up run first, not
 * counted. Figures are medians over the runs (and the 90th percentile where it matters);
 * the last column says how purertc compares (above 1 is better for purertc, whatever the
 * unit). A stack that does not install or load is listed as missing, with the reason; a
 * run that fails or hangs (--timeout) ends that stack's part of the benchmark, with the
 * error in its row. The run ends with purertc's targets checked (lib/targets.ts).
 * Runs from the sources, no build needed. --help lists the options.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HostProcess } from './lib/host-process.js';
import { STACKS, type StackName } from './lib/stacks.js';
import { type Machine, machine, quantile } from './lib/stats.js';
import { checkTargets } from './lib/targets.js';
import type { Figures, Params } from './lib/workload.js';

const MIB = 2 ** 20;

const { values: o } = parseArgs({
  options: {
    workloads: { type: 'string', default: 'setup,throughput,messages,pingpong,scale,ceiling' },
    stacks: { type: 'string', default: STACKS.join(',') },
    mode: { type: 'string', default: 'one,cross' },
    runs: { type: 'string', default: '3' },
    setups: { type: 'string', default: '20' },
    mib: { type: 'string', default: '64' },
    sizes: { type: 'string', default: '16,64' },
    'unordered-sizes': { type: 'string', default: '16' },
    messages: { type: 'string', default: '200000' },
    pings: { type: 'string', default: '2000' },
    pairs: { type: 'string', default: '100' },
    'idle-seconds': { type: 'string', default: '10' },
    'scale-runs': { type: 'string', default: '1' },
    'max-seconds': { type: 'string', default: '60' },
    timeout: { type: 'string', default: '180' },
    json: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    from: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (o.help) {
  console.log(`node --import tsx bench/run.ts [options]
  --workloads LIST       setup,throughput,messages,pingpong,scale,ceiling (all by default)
  --stacks LIST          ${STACKS.join(',')} (all by default; purertc is always measured)
  --mode LIST            one (both peers in one process), cross (a process each); both by default
  --runs N               runs of the throughput, messages, ping-pong and ceiling benchmarks (3)
  --setups N             connections timed by the setup benchmark (20)
  --mib N                MiB per throughput run (64)
  --sizes LIST           message sizes in KiB for ordered throughput (16,64)
  --unordered-sizes LIST message sizes in KiB for unordered throughput (16; empty for none)
  --messages N           100-byte messages per messages run (200000)
  --pings N              round trips per ping-pong run (2000)
  --pairs N              connected pairs of the scale benchmark (100; 1000 works)
  --idle-seconds N       how long the scale benchmark measures idle CPU (10)
  --scale-runs N         scale runs per stack, each in a fresh process (1)
  --max-seconds S        a throughput or messages run stops sending after S seconds (60)
  --timeout S            seconds before a run counts as failed (180)
  --json                 machine-readable results on stdout
  --markdown             the tables as Markdown
  --from FILE            print the results a --json run saved in FILE, measuring nothing`);
  process.exit(0);
}

type Mode = 'one' | 'cross';
type Peer = StackName | 'none';

interface Case {
  name: string;
  workload: string;
  params: Params;
  /** Parameters of the warm-up run, when lighter than the measured ones. */
  warmup?: Params;
  samples: number;
  /** The figure the ratio compares, and which way is better. */
  main: string;
  higherIsBetter: boolean;
  /** Also show the 90th percentile over the samples. */
  p90?: boolean;
  modes: Mode[];
  solo?: boolean;
  stackless?: boolean;
}

const list = (s: string) => s.split(',').filter((x) => x !== '');
const modes = list(o.mode) as Mode[];
const selected = new Set(list(o.workloads));
const runs = Number(o.runs);
const bytes = Number(o.mib) * MIB;
const maxSeconds = Number(o['max-seconds']);

function cases(): Case[] {
  const all: Case[] = [];
  const both: Mode[] = modes;
  if (selected.has('setup'))
    all.push({
      name: 'setup: new connections to an open channel, trickle ICE',
      workload: 'setup',
      params: {},
      samples: Number(o.setups),
      main: 'ms',
      higherIsBetter: false,
      p90: true,
      modes: both,
    });
  if (selected.has('throughput')) {
    const transfer = (kib: number, ordered: boolean): Case => ({
      name: `throughput: ${o.mib} MiB one way, ${kib} KiB messages, ${ordered ? 'ordered' : 'unordered'}`,
      workload: 'transfer',
      params: { bytes, size: kib * 1024, ordered, maxSeconds },
      warmup: { bytes: Math.min(bytes, 4 * MIB), size: kib * 1024, ordered, maxSeconds: 5 },
      samples: runs,
      main: 'MiB/s',
      higherIsBetter: true,
      modes: both,
    });
    for (const kib of list(o.sizes)) all.push(transfer(Number(kib), true));
    for (const kib of list(o['unordered-sizes'])) all.push(transfer(Number(kib), false));
  }
  const small = { size: 100, ordered: true, highWater: 256 * 1024, lowWater: 64 * 1024 };
  if (selected.has('messages'))
    all.push({
      name: `small messages: ${o.messages} messages of 100 bytes one way`,
      workload: 'transfer',
      // A high-water mark of 2,560 messages: deep enough for every stack, and a slow one
      // stopped by --max-seconds has little left to drain.
      params: { ...small, bytes: Number(o.messages) * 100, maxSeconds },
      warmup: { ...small, bytes: 10_000 * 100, maxSeconds: 5 },
      samples: runs,
      main: 'messages/s',
      higherIsBetter: true,
      modes: both,
    });
  if (selected.has('pingpong'))
    all.push({
      name: `ping-pong: ${o.pings} round trips of 100 bytes`,
      workload: 'pingpong',
      params: { count: Number(o.pings), size: 100 },
      warmup: { count: 200, size: 100 },
      samples: runs,
      main: 'p50 µs',
      higherIsBetter: false,
      modes: both,
    });
  if (selected.has('scale'))
    all.push({
      name: `scale: ${o.pairs} connected pairs in one process (per RTCPeerConnection)`,
      workload: 'scale',
      params: { pairs: Number(o.pairs), idleSeconds: Number(o['idle-seconds']) },
      samples: Number(o['scale-runs']),
      main: 'RSS KiB/pc',
      higherIsBetter: false,
      modes: ['one'],
      solo: true,
    });
  if (selected.has('ceiling'))
    for (const aead of [false, true])
      all.push({
        name: `ceiling: node:dgram, 1,200-byte datagrams${aead ? ', AES-128-GCM per datagram (node:crypto)' : ''}`,
        workload: 'ceiling',
        params: { bytes, aead },
        warmup: { bytes: 4 * MIB, aead },
        samples: runs,
        main: 'MiB/s',
        higherIsBetter: true,
        modes: both,
        stackless: true,
      });
  return all;
}

// ---------------------------------------------------------------------------------------
// Hosts

interface Config {
  label: string;
  peers: [Peer, Peer];
  /** For the ratio column: the row this one is compared with (purertc's own by default). */
  versus?: string;
}

const hosts = new Map<string, HostProcess[]>();

function hostsFor(mode: Mode, config: Config, solo: boolean): HostProcess[] {
  if (solo) return [new HostProcess(['--expose-gc'])];
  const key = `${mode}/${config.label}`;
  let pair = hosts.get(key);
  if (!pair) {
    if (mode === 'one') pair = [new HostProcess()];
    else {
      const [a, b] = [new HostProcess(), new HostProcess()];
      a.peer = b;
      b.peer = a;
      pair = [a, b];
    }
    hosts.set(key, pair);
  }
  return pair;
}

function dropHosts(mode: Mode, config: Config): void {
  const key = `${mode}/${config.label}`;
  for (const h of hosts.get(key) ?? []) h.kill();
  hosts.delete(key);
}

let sessions = 0;

async function sample(mode: Mode, c: Case, config: Config, params: Params): Promise<Figures> {
  const session = `s${++sessions}`;
  const order = { workload: c.workload, stacks: config.peers, session, params };
  const ps = hostsFor(mode, config, c.solo === true);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no result in ${o.timeout} s`)),
      Number(o.timeout) * 1000,
    );
  });
  try {
    const work =
      ps.length === 1
        ? ps[0]!.run({ ...order, role: 'both' })
        : Promise.all([
            ps[0]!.run({ ...order, role: 'offerer' }),
            ps[1]!.run({ ...order, role: 'answerer' }),
          ]).then(([figures]) => figures);
    return await Promise.race([work, timeout]);
  } catch (e) {
    dropHosts(mode, config);
    throw e;
  } finally {
    clearTimeout(timer);
    if (c.solo) await ps[0]!.close();
  }
}

// ---------------------------------------------------------------------------------------
// The run

interface Row {
  config: string;
  versus?: string;
  samples: Figures[];
  error?: string;
  summary: Record<string, { median: number; p90: number }>;
}

interface Result {
  case: string;
  workload: string;
  mode: Mode;
  params: Params;
  main: string;
  higherIsBetter: boolean;
  /** The table shows the 90th percentile next to the median. */
  p90: boolean;
  rows: Row[];
}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function probeStacks(): Promise<Record<string, string>> {
  const wanted = new Set<StackName>(['purertc', ...(list(o.stacks) as StackName[])]);
  const probe = new HostProcess();
  const found: Record<string, string> = {};
  for (const name of STACKS) {
    if (!wanted.has(name)) continue;
    found[name] = await probe
      .load(name)
      .catch((e: Error) => `missing: ${e.message.split('\n')[0]}`);
  }
  await probe.close();
  return found;
}

function configsFor(mode: Mode, c: Case, stacks: Record<string, string>): Config[] {
  if (c.stackless) return [{ label: 'node:dgram', peers: ['none', 'none'] }];
  const wanted = Object.keys(stacks) as StackName[];
  const available = wanted.filter((n) => !stacks[n]!.startsWith('missing'));
  const own = wanted.map((s): Config => ({ label: s, peers: [s, s] }));
  if (mode === 'cross' && !c.solo && available.includes('node-datachannel'))
    own.push(
      {
        label: 'purertc → node-datachannel',
        peers: ['purertc', 'node-datachannel'],
        versus: 'node-datachannel',
      },
      {
        label: 'node-datachannel → purertc',
        peers: ['node-datachannel', 'purertc'],
        versus: 'node-datachannel',
      },
    );
  return own;
}

function summarize(samples: Figures[]): Row['summary'] {
  const names = new Set(samples.flatMap((s) => Object.keys(s)));
  const out: Row['summary'] = {};
  for (const n of names) {
    const xs = samples.map((s) => s[n]!).filter((x) => Number.isFinite(x));
    out[n] = { median: quantile(xs, 0.5), p90: quantile(xs, 0.9) };
  }
  return out;
}

async function runCase(mode: Mode, c: Case, stacks: Record<string, string>): Promise<Result> {
  const configs = configsFor(mode, c, stacks);
  const rows: Row[] = configs.map((cf) => ({
    config: cf.label,
    versus: cf.versus,
    samples: [],
    summary: {},
    error: stacks[cf.label]?.startsWith('missing') ? stacks[cf.label] : undefined,
  }));
  log(`\n${c.name} (${mode === 'one' ? 'one process' : 'a process per peer'})`);
  const warmups = c.solo ? 0 : 1;
  for (let round = -warmups; round < c.samples; round++) {
    for (const [i, config] of configs.entries()) {
      const row = rows[i]!;
      if (row.error) continue;
      try {
        const figures = await sample(
          mode,
          c,
          config,
          round < 0 ? (c.warmup ?? c.params) : c.params,
        );
        if (round >= 0) row.samples.push(figures);
        log(
          `  ${round < 0 ? 'warm-up' : `run ${round + 1}`} ${config.label}: ${Object.entries(
            figures,
          )
            .map(([k, v]) => `${format(v)} ${k}`)
            .join(', ')}`,
        );
      } catch (e) {
        row.error = (e as Error).message.split('\n')[0];
        log(`  ${config.label} failed: ${(e as Error).stack}`);
      }
    }
  }
  for (const row of rows) row.summary = summarize(row.samples);
  return {
    case: c.name,
    workload: c.workload,
    mode,
    params: c.params,
    main: c.main,
    higherIsBetter: c.higherIsBetter,
    p90: c.p90 === true,
    rows,
  };
}

function format(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** How purertc compares with a row: above 1 is better for purertc. */
function ratio(result: Result, row: Row): string {
  const ours = result.rows.find((r) => r.config === (row.versus ? row.config : 'purertc'));
  const them = row.versus ? result.rows.find((r) => r.config === row.versus) : row;
  const a = ours?.summary[result.main]?.median;
  const b = them?.summary[result.main]?.median;
  if (a === undefined || b === undefined || !(a > 0 && b > 0) || ours === them) return '';
  const r = result.higherIsBetter ? a / b : b / a;
  return `${r.toFixed(2)}×${row.versus ? ` vs ${row.versus}` : ''}`;
}

function table(result: Result, stacks: Record<string, string>): string[][] {
  const p90 = result.p90;
  const names = [
    ...new Set(result.rows.flatMap((r) => Object.keys(r.summary)).filter((n) => n !== '')),
  ];
  const header = [
    'stack',
    ...names.flatMap((n) => (p90 ? [`${n} median`, `${n} p90`] : [n])),
    'ratio',
  ];
  const lines = [header];
  for (const row of result.rows) {
    const missing = stacks[row.config]?.startsWith('missing');
    if (missing || (row.error && row.samples.length === 0)) {
      lines.push([row.config, missing ? stacks[row.config]! : `failed: ${row.error}`]);
      continue;
    }
    lines.push([
      row.config + (row.error ? ` (failed after ${row.samples.length}: ${row.error})` : ''),
      ...names.flatMap((n) => {
        const s = row.summary[n];
        return p90 ? [format(s?.median), format(s?.p90)] : [format(s?.median)];
      }),
      ratio(result, row),
    ]);
  }
  return lines;
}

function render(lines: string[][], markdown: boolean): string {
  if (markdown) {
    const md = lines.map((l) => `| ${l.join(' | ')} |`);
    md.splice(1, 0, `|${lines[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    return md.join('\n');
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines
    .map((l) =>
      l.length === 2 && lines[0]!.length > 2
        ? `  ${l[0]!.padEnd(widths[0]!)}  ${l[1]}`
        : `  ${l.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ')}`,
    )
    .join('\n');
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function header(m: Machine, stacks: Record<string, string>, at: string): string {
  return [
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node} (${m.platform}); ${m.date}`,
    `purertc ${stacks.purertc} (${at}); ${Object.entries(stacks)
      .filter(([n]) => n !== 'purertc')
      .map(([n, v]) => `${n} ${v}`)
      .join('; ')}`,
  ].join('\n');
}

interface Saved {
  machine: Machine;
  commit: string;
  stacks: Record<string, string>;
  results: Result[];
}

async function measure(): Promise<Saved> {
  const m = machine();
  const stacks = await probeStacks();
  log(header(m, stacks, commit()));
  const results: Result[] = [];
  try {
    for (const mode of modes) {
      for (const c of cases()) {
        if (c.modes.includes(mode)) results.push(await runCase(mode, c, stacks));
      }
    }
  } finally {
    await Promise.all([...hosts.values()].flat().map((h) => h.close()));
  }
  return { machine: m, commit: commit(), stacks, results };
}

const saved: Saved = o.from ? JSON.parse(readFileSync(o.from, 'utf8')) : await measure();
if (o.json) {
  console.log(JSON.stringify({ ...saved, options: o }, null, 2));
} else {
  console.log(`\n${header(saved.machine, saved.stacks, saved.commit)}`);
  console.log('ratio: how purertc compares with the row (above 1 is better for purertc)');
  for (const r of saved.results) {
    console.log(
      `\n${r.case}; ${r.mode === 'one' ? 'both peers in one process' : 'a process per peer'}`,
    );
    console.log(render(table(r, saved.stacks), o.markdown));
  }
  const checks = checkTargets(saved.results);
  if (checks.length > 0) {
    console.log('\npurertc against its targets');
    console.log(
      render(
        [
          ['target', 'measured', ''],
          ...checks.map((c) => [c.target, c.measured, c.met ? 'met' : 'NOT MET']),
        ],
        o.markdown,
      ),
    );
  }
}
