/**
 * close() leaves nothing behind: a process whose connections are all closed exits on its
 * own, whatever state they were in.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('a process exits by itself once its connections are closed', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./close-exits.child.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  let closedAt = 0;
  child.stdout.on('data', () => {
    if (closedAt === 0 && out.includes('closed')) closedAt = performance.now();
  });
  const timer = setTimeout(() => child.kill(), 15_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  assert.equal(signal, null, 'killed: something kept the process alive');
  assert.equal(code, 0);
  assert.equal(out, 'closed\n');
  // Sockets close one turn after close(); nothing should wait for a timer.
  assert.ok(
    performance.now() - closedAt < 1000,
    `${performance.now() - closedAt} ms after close()`,
  );
});
