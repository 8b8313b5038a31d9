// purertc demo: a web page connects to a Node.js peer (our RTCPeerConnection) over a real
// WebRTC data channel. The Node side echoes every message and shows its live stats.
//
//   npm start                                     build, then serve http://localhost:8080/
//   node examples/demo/server.mjs --port 9000     another port (0: any free one)
//   node examples/demo/server.mjs --selftest      headless Chromium plays the user, then exit
//   PURERTC_SELFTEST=1 npm start                  the same, through npm start
//
// Signaling is plain HTTP on the same server: the page POSTs its offer and gets our answer,
// POSTs its ICE candidates, and long-polls for ours.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Sessions } from './peer.mjs';

const files = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
};
/** Signaling messages are small: an SDP, a candidate. */
const MAX_BODY = 64 * 1024;
const LONG_POLL_MS = 20_000;

/** Starts the demo server on 127.0.0.1; resolves with { url, sessions, close }. */
async function startDemo({ port = 8080, sessions = new Sessions() } = {}) {
  const server = createServer((req, res) => {
    handle(req, res, sessions).catch((err) =>
      reply(res, err instanceof BadRequest ? 400 : 500, { error: String(err?.message) }),
    );
  });
  server.keepAliveTimeout = LONG_POLL_MS + 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://localhost:${server.address().port}/`,
    sessions,
    close() {
      sessions.closeAll();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function handle(req, res, sessions) {
  const { pathname, searchParams } = new URL(req.url, 'http://localhost');
  const file = files[pathname];
  if (file && req.method === 'GET') {
    const body = await readFile(new URL(file[0], import.meta.url));
    res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
    res.end(body);
    return;
  }
  if (pathname === '/api/session' && req.method === 'POST') {
    const offer = await readJson(req);
    if (offer?.type !== 'offer' || typeof offer.sdp !== 'string') {
      return reply(res, 400, { error: 'expected an offer' });
    }
    const session = sessions.create();
    try {
      reply(res, 200, { id: session.id, answer: await session.answer(offer) });
    } catch (err) {
      sessions.close(session.id);
      reply(res, 400, { error: `${err.name}: ${err.message}` });
    }
    return;
  }
  const match = /^\/api\/session\/(\w+)\/(candidate|candidates|stats|close)$/.exec(pathname);
  const session = match && sessions.get(match[1]);
  if (!session) return reply(res, 404, { error: 'no such session' });
  switch (`${req.method} ${match[2]}`) {
    case 'POST candidate': {
      const candidate = await readJson(req);
      try {
        await session.addCandidate(candidate);
        return reply(res, 200, {});
      } catch (err) {
        // A candidate we cannot use (an mDNS name, say) is not the page's problem.
        return reply(res, 200, { ignored: `${err.name}: ${err.message}` });
      }
    }
    case 'GET candidates':
      return reply(
        res,
        200,
        await session.candidates(Number(searchParams.get('since')) || 0, LONG_POLL_MS),
      );
    case 'GET stats':
      return reply(res, 200, await session.stats());
    case 'POST close':
      sessions.close(session.id);
      return reply(res, 200, {});
    default:
      return reply(res, 405, { error: 'method not allowed' });
  }
}

function reply(res, status, body) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

class BadRequest extends Error {}

async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest('request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const selftest = process.argv.includes('--selftest') || Boolean(process.env.PURERTC_SELFTEST);
const port = Number(option('--port') ?? process.env.PORT ?? (selftest ? 0 : 8080));
const demo = await startDemo({ port }).catch((err) => {
  if (err.code !== 'EADDRINUSE') throw err;
  console.log(`port ${port} is in use; taking a free one`);
  return startDemo({ port: 0 });
});
if (selftest) {
  const { runSelftest } = await import('./selftest.mjs');
  const ok = await runSelftest(demo, { chromium: option('--chromium') }).finally(() =>
    demo.close(),
  );
  process.exit(ok ? 0 : 1);
} else {
  console.log(`purertc demo: open ${demo.url} in a browser (Ctrl+C to stop)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
