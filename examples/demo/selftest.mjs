// The demo without a browser at hand: headless Chromium opens the page, types a few messages,
// checks each echo, waits for the stats to show the connection, and prints what it saw.
// Chromium runs with its default settings, so it hides its addresses behind mDNS names as a
// user's browser does; our peer learns its address from its connectivity checks instead.

import { existsSync } from 'node:fs';

const MESSAGES = ['hello from the self-test', 'ünïcödé ✓ 🚀', 'x'.repeat(2000)];

/** Runs the self-test against a started demo; resolves true when everything checked out. */
export async function runSelftest(demo, { chromium: path } = {}) {
  const executablePath = path ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(
      `self-test: no Chromium at ${executablePath} (apt-get install chromium, or --chromium <path>)`,
    );
    return false;
  }
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    console.error('self-test: playwright-core is missing (npm ci installs it)');
    return false;
  }
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(2)} s`;
  const browser = await playwright.chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    console.log(`self-test: Chromium ${browser.version()} opens ${demo.url}`);
    await page.goto(demo.url);
    await page.waitForSelector('#channel-state[data-state="open"]', { timeout: 15_000 });
    console.log(`data channel open after ${elapsed()}`);

    for (const [i, text] of MESSAGES.entries()) {
      await page.fill('#message', text);
      await page.click('#send');
      await page.waitForFunction(
        (n) => document.querySelectorAll('#log .echo').length >= n,
        i + 1,
        {
          timeout: 5000,
        },
      );
    }
    const echoes = await page.$$eval('#log .echo', (items) =>
      items.map((li) => ({
        text: li.firstChild.textContent,
        rtt: li.querySelector('.rtt')?.textContent,
      })),
    );
    let ok = true;
    for (const [i, sent] of MESSAGES.entries()) {
      const echo = echoes[i];
      const same = echo?.text === sent;
      ok &&= same;
      const shown = sent.length > 60 ? `${sent.slice(0, 24)}… (${sent.length} characters)` : sent;
      console.log(`  sent "${shown}"  echo ${same ? 'matches' : 'DIFFERS'}  (${echo?.rtt ?? '?'})`);
    }

    // The page's stats table, once a refresh shows the connection up and the messages above.
    await page.waitForFunction(
      (n) => {
        const text = document.querySelector('#stats')?.textContent ?? '';
        return text.includes('connectionconnected') && text.includes(`received${n} messages`);
      },
      MESSAGES.length,
      { timeout: 5000 },
    );
    const shown = await page.$$eval('#stats tr', (rows) =>
      rows.map((tr) => [...tr.children].map((c) => c.textContent).join(': ')),
    );
    console.log("the page's view of the Node peer's stats:");
    for (const line of shown) console.log(`  ${line}`);
    ok &&= shown.some((line) => line.startsWith('connection: connected'));

    // And the same from here, for anyone reading the Node side.
    const [session] = [...demo.sessions.ids()].map((id) => demo.sessions.get(id));
    const stats = await session.stats();
    console.log(
      `Node side: ${stats.states.connection}, ${stats.selectedPair?.local} <-> ${stats.selectedPair?.remote}, RTT ${stats.selectedPair?.rttMs?.toFixed(2)} ms, ${stats.transport?.tls} ${stats.transport?.cipher}`,
    );
    ok &&= stats.states.connection === 'connected';
    console.log(ok ? `self-test passed in ${elapsed()}` : 'self-test FAILED');
    return ok;
  } catch (err) {
    console.error(`self-test FAILED: ${err.message}`);
    return false;
  } finally {
    await browser.close();
  }
}
