import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Configuration,
  copyConfiguration,
  createConfiguration,
  MAX_ICE_SERVERS,
  updateConfiguration,
  validateIceServerUrl,
} from '../../src/webrtc/configuration.js';

/**
 * The WPT config_test helper (RTCConfiguration-helper.js): each case runs through the
 * constructor and through setConfiguration() on a default configuration.
 */
const paths: [string, (config: unknown) => Configuration][] = [
  ['constructor', (config) => createConfiguration(config).configuration],
  [
    'setConfiguration',
    (config) =>
      updateConfiguration(config, createConfiguration().configuration, false).configuration,
  ],
];

function configTest(name: string, body: (make: (config: unknown) => Configuration) => void) {
  for (const [path, make] of paths) test(`${path}: ${name}`, () => body(make));
}

function throwsDom(fn: () => unknown, name: string) {
  assert.throws(fn, (e: unknown) => e instanceof DOMException && e.name === name);
}

test('the defaults (RTCConfiguration dictionary)', () => {
  for (const init of [undefined, null, {}]) {
    assert.deepEqual(createConfiguration(init).configuration, {
      iceServers: [],
      iceTransportPolicy: 'all',
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
      certificates: [],
      iceCandidatePoolSize: 0,
    });
  }
  assert.throws(() => createConfiguration(5), TypeError);
  assert.throws(() => createConfiguration('x'), TypeError);
});

// RTCConfiguration-iceServers.html
configTest('{ iceServers: null } throws TypeError', (make) => {
  assert.throws(() => make({ iceServers: null }), TypeError);
});
configTest('{ iceServers: undefined } and [] give []', (make) => {
  assert.deepEqual(make({ iceServers: undefined }).iceServers, []);
  assert.deepEqual(make({ iceServers: [] }).iceServers, []);
});
configTest('[null], [undefined] and [{}] throw TypeError', (make) => {
  for (const iceServers of [[null], [undefined], [{}]]) {
    assert.throws(() => make({ iceServers }), TypeError);
  }
});
configTest('a stun url as a string, an array, two of them', (make) => {
  assert.deepEqual(make({ iceServers: [{ urls: 'stun:stun1.example.net' }] }).iceServers, [
    { urls: ['stun:stun1.example.net'] },
  ]);
  assert.deepEqual(make({ iceServers: [{ urls: ['stun:stun1.example.net'] }] }).iceServers, [
    { urls: ['stun:stun1.example.net'] },
  ]);
  assert.deepEqual(
    make({ iceServers: [{ urls: ['stun:stun1.example.net', 'stun:stun2.example.net'] }] })
      .iceServers,
    [{ urls: ['stun:stun1.example.net', 'stun:stun2.example.net'] }],
  );
});
configTest('turn and turns with username and credential, empty ones included', (make) => {
  assert.deepEqual(
    make({ iceServers: [{ urls: 'turn:turn.example.org', username: 'user', credential: 'cred' }] })
      .iceServers,
    [{ urls: ['turn:turn.example.org'], username: 'user', credential: 'cred' }],
  );
  for (const urls of ['turns:turn.example.org', 'turn:turn.example.org']) {
    assert.deepEqual(make({ iceServers: [{ urls, username: '', credential: '' }] }).iceServers, [
      { urls: [urls], username: '', credential: '' },
    ]);
  }
  assert.deepEqual(
    make({
      iceServers: [
        {
          urls: ['turns:turn.example.org', 'turn:turn.example.net'],
          username: 'user',
          credential: 'cred',
        },
      ],
    }).iceServers[0]!.urls,
    ['turns:turn.example.org', 'turn:turn.example.net'],
  );
});
configTest('a TURN username of 509 characters is accepted, 510 is InvalidAccessError', (make) => {
  make({
    iceServers: [{ urls: 'turn:turn.example.net', username: 'a'.repeat(509), credential: 'cred' }],
  });
  throwsDom(
    () =>
      make({
        iceServers: [
          { urls: 'turns:turn.example.net', username: 'a'.repeat(510), credential: 'cred' },
        ],
      }),
    'InvalidAccessError',
  );
  // 509 bytes of UTF-8 is the limit, not 509 characters.
  throwsDom(
    () =>
      make({
        iceServers: [{ urls: 'turn:turn.example.net', username: 'é'.repeat(255), credential: 'c' }],
      }),
    'InvalidAccessError',
  );
});
configTest(
  'turn and turns without both username and credential throw InvalidAccessError',
  (make) => {
    for (const urls of ['turn:turn.example.net', 'turns:turn.example.net']) {
      for (const extra of [{}, { username: 'user' }, { credential: 'cred' }]) {
        throwsDom(() => make({ iceServers: [{ urls, ...extra }] }), 'InvalidAccessError');
      }
    }
    throwsDom(
      () => make({ iceServers: [{ urls: 'turn:x.example', username: 'us\ter', credential: 'c' }] }),
      'InvalidAccessError',
    );
  },
);
configTest('bad urls throw SyntaxError, before credentials are looked at', (make) => {
  for (const urls of [
    '',
    ['stun:stun1.example.net', ''],
    'relative-url',
    'http://example.com',
    'turn://example.org/foo?x=y',
    'stun://example.org/foo?x=y',
    [],
  ]) {
    throwsDom(() => make({ iceServers: [{ urls }] }), 'SyntaxError');
  }
});
test('setConfiguration without iceServers removes the servers', () => {
  const first = createConfiguration({ iceServers: [{ urls: 'stun:stun1.example.net' }] });
  assert.equal(first.servers.length, 1);
  const next = updateConfiguration({}, first.configuration, false);
  assert.deepEqual(next.configuration.iceServers, []);
  assert.deepEqual(next.servers, []);
});
configTest('32 ICE servers are kept', (make) => {
  const iceServers = [...Array(32)].map((_, i) => ({ urls: `stun:stun${i + 1}.example.net` }));
  assert.deepEqual(
    make({ iceServers }).iceServers.map((s) => s.urls[0]),
    iceServers.map((s) => s.urls),
  );
});
test('servers above the limit are ignored: not parsed, not validated', () => {
  const iceServers = [...Array(MAX_ICE_SERVERS)].map((_, i) => ({
    urls: `stun:s${i}.example.net`,
  }));
  const r = createConfiguration({ iceServers: [...iceServers, { urls: 'not a url' }] });
  assert.equal(r.servers.length, MAX_ICE_SERVERS);
  assert.equal(r.configuration.iceServers.length, MAX_ICE_SERVERS + 1);
});

// RTCConfiguration-validation.html
test('setConfiguration applies nothing unless the whole configuration is valid', () => {
  const old = createConfiguration().configuration;
  throwsDom(
    () =>
      updateConfiguration({ iceTransportPolicy: 'relay', iceServers: [{ urls: '' }] }, old, false),
    'SyntaxError',
  );
  assert.equal(old.iceTransportPolicy, 'all');
});

// RTCConfiguration-bundlePolicy.html
test('bundlePolicy: default, values, invalid ones, and no change through setConfiguration', () => {
  assert.equal(
    createConfiguration({ bundlePolicy: undefined }).configuration.bundlePolicy,
    'balanced',
  );
  for (const p of ['balanced', 'max-compat', 'max-bundle']) {
    const c = createConfiguration({ bundlePolicy: p }).configuration;
    assert.equal(c.bundlePolicy, p);
    updateConfiguration({ bundlePolicy: p }, c, false);
  }
  updateConfiguration({}, createConfiguration({ bundlePolicy: 'balanced' }).configuration, false);
  assert.throws(() => createConfiguration({ bundlePolicy: null }), TypeError);
  assert.throws(() => createConfiguration({ bundlePolicy: 'invalid' }), TypeError);
  const maxBundle = createConfiguration({ bundlePolicy: 'max-bundle' }).configuration;
  throwsDom(
    () => updateConfiguration({ bundlePolicy: 'max-compat' }, maxBundle, false),
    'InvalidModificationError',
  );
  throwsDom(() => updateConfiguration({}, maxBundle, false), 'InvalidModificationError');
});

// RTCConfiguration-iceCandidatePoolSize.html
configTest('iceCandidatePoolSize: 0 and 255; -1 and 256 throw TypeError', (make) => {
  assert.equal(make({}).iceCandidatePoolSize, 0);
  assert.equal(make({ iceCandidatePoolSize: 0 }).iceCandidatePoolSize, 0);
  assert.equal(make({ iceCandidatePoolSize: 255 }).iceCandidatePoolSize, 255);
  assert.equal(make({ iceCandidatePoolSize: 3.9 }).iceCandidatePoolSize, 3);
  assert.equal(make({ iceCandidatePoolSize: '7' }).iceCandidatePoolSize, 7);
  for (const v of [-1, 256, Number.NaN, Number.POSITIVE_INFINITY, 'x', Symbol(), 1n]) {
    assert.throws(() => make({ iceCandidatePoolSize: v }), TypeError, String(v));
  }
});
test('iceCandidatePoolSize changes until setLocalDescription, not after', () => {
  const old = createConfiguration({ iceCandidatePoolSize: 2 }).configuration;
  assert.equal(
    updateConfiguration({ iceCandidatePoolSize: 5 }, old, false).configuration.iceCandidatePoolSize,
    5,
  );
  throwsDom(
    () => updateConfiguration({ iceCandidatePoolSize: 5 }, old, true),
    'InvalidModificationError',
  );
  updateConfiguration({ iceCandidatePoolSize: 2 }, old, true);
});

// RTCConfiguration-iceTransportPolicy.html
test('iceTransportPolicy: default all, relay, changes freely, invalid values throw', () => {
  assert.equal(
    createConfiguration({ iceTransportPolicy: undefined }).configuration.iceTransportPolicy,
    'all',
  );
  const relay = createConfiguration({ iceTransportPolicy: 'relay' }).configuration;
  assert.equal(relay.iceTransportPolicy, 'relay');
  assert.equal(updateConfiguration({}, relay, true).configuration.iceTransportPolicy, 'all');
  assert.equal(
    updateConfiguration({ iceTransportPolicy: 'relay' }, createConfiguration().configuration, true)
      .configuration.iceTransportPolicy,
    'relay',
  );
  for (const [, make] of paths) {
    for (const v of ['invalid', 'none', null])
      assert.throws(() => make({ iceTransportPolicy: v }), TypeError);
  }
  // Blink's old name for it is not a member.
  for (const v of ['relay', 'invalid', null]) {
    assert.equal(createConfiguration({ iceTransports: v }).configuration.iceTransportPolicy, 'all');
  }
});

// RTCConfiguration-rtcpMuxPolicy.html
test('rtcpMuxPolicy: require; negotiate is NotSupportedError; no change through setConfiguration', () => {
  assert.equal(
    createConfiguration({ rtcpMuxPolicy: undefined }).configuration.rtcpMuxPolicy,
    'require',
  );
  assert.equal(
    createConfiguration({ rtcpMuxPolicy: 'require' }).configuration.rtcpMuxPolicy,
    'require',
  );
  throwsDom(() => createConfiguration({ rtcpMuxPolicy: 'negotiate' }), 'NotSupportedError');
  for (const [, make] of paths) {
    for (const v of [null, 'invalid']) assert.throws(() => make({ rtcpMuxPolicy: v }), TypeError);
  }
  const old = createConfiguration({ rtcpMuxPolicy: 'require' }).configuration;
  throwsDom(
    () => updateConfiguration({ rtcpMuxPolicy: 'negotiate' }, old, false),
    'InvalidModificationError',
  );
  assert.equal(updateConfiguration({}, old, false).configuration.rtcpMuxPolicy, 'require');
});

// RTCPeerConnection-constructor.html, and the constructor's certificate steps.
test('certificates: a sequence of RTCCertificate; expired ones are InvalidAccessError', () => {
  assert.throws(() => createConfiguration({ certificates: null }), TypeError);
  assert.deepEqual(createConfiguration({ certificates: undefined }).configuration.certificates, []);
  assert.deepEqual(createConfiguration({ certificates: [] }).configuration.certificates, []);
  for (const certificates of [[null], [undefined], [{}], [{ expires: '1' }], 'abc', {}]) {
    assert.throws(() => createConfiguration({ certificates }), TypeError);
  }
  const now = 1_700_000_000_000;
  const valid = { expires: now + 1 };
  assert.deepEqual(createConfiguration({ certificates: [valid] }, now).configuration.certificates, [
    valid,
  ]);
  assert.deepEqual(
    createConfiguration({ certificates: new Set([valid]) }, now).configuration.certificates,
    [valid],
    'any iterable is a sequence',
  );
  throwsDom(
    () => createConfiguration({ certificates: [valid, { expires: now - 1 }] }, now),
    'InvalidAccessError',
  );
});
test('certificates cannot change through setConfiguration: same objects, same order', () => {
  const a = { expires: Date.now() + 1e6 };
  const b = { expires: Date.now() + 1e6 };
  const old = createConfiguration({ certificates: [a, b] }).configuration;
  updateConfiguration({ certificates: [a, b] }, old, true);
  for (const certificates of [[a], [b, a], [a, { ...b }], undefined]) {
    throwsDom(() => updateConfiguration({ certificates }, old, false), 'InvalidModificationError');
  }
});
test('iceCandidatePoolSize whose conversion throws is a TypeError', () => {
  assert.throws(() => createConfiguration({ iceCandidatePoolSize: Symbol() }), TypeError);
});

test('the parsed server list: scheme, host, port, transport, secure, credentials', () => {
  const { servers } = createConfiguration({
    iceServers: [
      { urls: ['stun:stun.l.google.com:19302', 'stuns:stun.example.org'] },
      {
        urls: [
          'turn:turn.example.org?transport=tcp',
          'turns:[2001:db8::1]:443',
          'TURN:192.0.2.1',
          'turns:turn.example.org?transport=udp',
        ],
        username: 'u',
        credential: 'p',
      },
    ],
  });
  const rows = servers.map((s) => [
    s.scheme,
    s.host,
    s.port,
    s.transport,
    s.secure,
    s.username ?? null,
  ]);
  assert.deepEqual(rows, [
    ['stun', 'stun.l.google.com', 19302, 'udp', false, null],
    ['stuns', 'stun.example.org', 5349, 'tcp', true, null],
    ['turn', 'turn.example.org', 3478, 'tcp', false, 'u'],
    ['turns', '2001:db8::1', 443, 'tcp', true, 'u'],
    ['turn', '192.0.2.1', 3478, 'udp', false, 'u'],
    ['turns', 'turn.example.org', 5349, 'udp', true, 'u'],
  ]);
  assert.equal(servers[2]!.url, 'turn:turn.example.org?transport=tcp');
  assert.equal(servers[2]!.credential, 'p');
});

test('validate an ICE server URL, case by case', () => {
  const ok = [
    'stun:example.net',
    'stun:example.net:3478',
    'stun:192.0.2.5:1',
    'stun:[::1]',
    'stun:[::1]:65535',
    'stun:EXAMPLE.net',
    'turn:example.net?transport=udp',
  ];
  for (const url of ok) validateIceServerUrl(url, { username: 'u', credential: 'c' });
  assert.equal(validateIceServerUrl('stun:EXAMPLE.net').host, 'example.net');
  assert.equal(validateIceServerUrl('stun:example.net:0443').port, 443);
  const bad = [
    'stun:',
    'stun:/example.net',
    'stun://example.net',
    'stun:user@example.net',
    'stun:example.net/path',
    'stun:example.net#frag',
    'stun:example.net#',
    'stun:example.net?transport=udp',
    'stun:example.net?',
    'stun:example.net:65536',
    'stun:example.net:port',
    'stun:exa mple.net',
    'turn:example.net?transport=sctp',
    'turn:example.net?transport=udp&x=1',
    'turn:example.net?',
    'turn:example.net\\path',
    'ftp:example.net',
    'stun',
  ];
  for (const url of bad)
    throwsDom(() => validateIceServerUrl(url, { username: 'u', credential: 'c' }), 'SyntaxError');
});

test('urls convert as (USVString or sequence<USVString>)', () => {
  const { configuration } = createConfiguration({
    iceServers: [
      { urls: new Set(['stun:a.example']) },
      { urls: { toString: () => 'stun:b.example' } },
    ],
  });
  assert.deepEqual(
    configuration.iceServers.map((s) => s.urls),
    [['stun:a.example'], ['stun:b.example']],
  );
  throwsDom(
    () => createConfiguration({ iceServers: [{ urls: 'stun:\ud800.example' }] }),
    'SyntaxError',
  );
  throwsDom(() => createConfiguration({ iceServers: [{ urls: null }] }), 'SyntaxError');
  assert.throws(() => createConfiguration({ iceServers: [{ urls: Symbol() }] }), TypeError);
});

test('getConfiguration copies cannot change the stored configuration', () => {
  const { configuration } = createConfiguration({ iceServers: [{ urls: 'stun:a.example' }] });
  const copy = copyConfiguration(configuration);
  assert.deepEqual(copy, configuration);
  copy.iceServers[0]!.urls.push('stun:b.example');
  copy.certificates.push({ expires: 0 });
  assert.deepEqual(configuration.iceServers[0]!.urls, ['stun:a.example']);
  assert.deepEqual(configuration.certificates, []);
});
