/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) as a real
 * WebRTC peer for our tests. It serves a blank page on http://localhost (a secure
 * context) and gives the test the Playwright page to run browser code in. Playwright
 * gives each launch a fresh temporary profile.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { peerPath } from './peers.js';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Keep Chromium's default of hiding host addresses behind mDNS names. */
  mdns?: boolean;
  /** Extra command-line flags. */
  args?: string[];
}

export interface ChromiumSession {
  browser: Browser;
  page: Page;
  /** The page's URL (http://localhost:port/). */
  url: string;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>purertc test peer</title>';

/** Launches Chromium with a blank localhost page. Close it in t.after / finally. */
export async function openChromium(options: ChromiumOptions = {}): Promise<ChromiumSession> {
  const executablePath = peerPath('chromium', 'chromium');
  const server = await serve();
  // Chromium reveals host addresses to a page with media permission, so the mDNS case
  // must not grant it.
  const addressFlags = options.mdns
    ? []
    : ['--disable-features=WebRtcHideLocalIpsWithMdns', '--use-fake-ui-for-media-stream'];
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--allow-loopback-in-peer-connection',
        '--use-fake-device-for-media-stream',
        ...addressFlags,
        ...(options.args ?? []),
      ],
    });
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    const url = `http://localhost:${port}/`;
    await page.goto(url);
    const opened = browser;
    return {
      browser: opened,
      page,
      url,
      async close() {
        await opened.close().catch(() => {});
        await new Promise((r) => server.close(r));
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    server.close();
    throw err;
  }
}

function serve(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
