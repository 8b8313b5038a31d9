// Puts back into package-lock.json the platform-specific optional packages (biome's
// other-platform binaries and the like) that npm leaves out when its registry does not
// serve them; `npm ci` refuses a lock without them. Run it after `npm install`:
//   node scripts/lock-platforms.mjs
// Each entry gets the os/cpu/libc its name says, so npm skips it on other platforms
// without fetching anything.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const systems = [
  'darwin',
  'win32',
  'android',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'linux',
];
const cpus = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x'];

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const parts = name.toLowerCase().split(/[-/@]/);
    const os = systems.find((s) => parts.includes(s));
    if (!os) continue; // not a platform package
    // npm hoists to the top unless another version already lives there.
    const top = packages[`node_modules/${name}`];
    if (top?.version === version) continue;
    const key = top ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) continue;
    const cpu = cpus.find((c) => parts.includes(c));
    packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(os === 'linux' ? { libc: [parts.includes('musl') ? 'musl' : 'glibc'] } : {}),
    };
    added++;
  }
}
const sorted = Object.keys(packages).sort((a, b) =>
  a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1,
);
lock.packages = Object.fromEntries(sorted.map((k) => [k, packages[k]]));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
