// Runs the test suite with node's own test runner and the tsx loader.
// Usage: node scripts/test.mjs [path-prefix ...]   e.g. `npm test -- test/stun`
// Files named *.soak.ts run only with --soak (npm run test:soak).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const soak = args.includes('--soak');
const prefixes = args.filter((a) => !a.startsWith('--')).map((p) => p.replace(/^\.\//, ''));
const suffix = soak ? '.soak.ts' : '.test.ts';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(suffix)) out.push(relative('.', path));
  }
  return out;
}

const files = walk('test', [])
  .filter((f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(p)))
  .sort();
if (files.length === 0) {
  console.error(`no ${suffix} files match ${prefixes.join(' ') || 'test/'}`);
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
