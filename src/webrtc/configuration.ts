/**
 * RTCConfiguration (W3C webrtc-pc, "RTCConfiguration Dictionary" and "Set the
 * configuration"): the WebIDL conversion of the dictionary, the constructor's
 * certificate checks, and the "set a configuration" algorithm as pure functions
 * that RTCPeerConnection's constructor and setConfiguration() call. They return the
 * configuration getConfiguration() reports and the ICE server URLs parsed for the
 * ICE and TURN layers, or throw the exception the spec names.
 */

import {
  isIterableObject,
  toDictionary,
  toDOMString,
  toEnforcedUnsigned,
  toEnum,
  toOptional,
  toSequence,
  toUSVString,
} from './webidl.js';

export type RTCIceTransportPolicy = 'relay' | 'all';
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
/**
 * webrtc-pc defines only `require`. `negotiate` (of earlier drafts, still in browsers'
 * IDL) converts, so that the constructor can reject it with NotSupportedError and
 * setConfiguration() with InvalidModificationError, as the WPT tests expect.
 */
export type RTCRtcpMuxPolicy = 'require' | 'negotiate';

/** The part of RTCCertificate (src/webrtc/RTCCertificate.ts) a configuration looks at. */
export interface CertificateLike {
  /** Expiry, in ms since the epoch. */
  readonly expires: number;
}

export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: RTCRtcpMuxPolicy;
  certificates?: CertificateLike[];
  iceCandidatePoolSize?: number;
}

/** A converted RTCConfiguration: every member present, urls always a list. */
export interface Configuration {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
  iceTransportPolicy: RTCIceTransportPolicy;
  bundlePolicy: RTCBundlePolicy;
  rtcpMuxPolicy: RTCRtcpMuxPolicy;
  certificates: CertificateLike[];
  iceCandidatePoolSize: number;
}

/** One STUN or TURN server URL (RFC 7064 §3.1, RFC 7065 §3.1), ready for ICE and TURN. */
export interface IceServerUrl {
  url: string;
  scheme: 'stun' | 'stuns' | 'turn' | 'turns';
  host: string;
  port: number;
  /** `?transport=`, else UDP for stun/turn and TCP (under TLS) for stuns/turns. */
  transport: 'udp' | 'tcp';
  /** stuns and turns run over TLS (or DTLS with transport=udp). */
  secure: boolean;
  username?: string;
  credential?: string;
}

export interface ConfigurationResult {
  configuration: Configuration;
  servers: IceServerUrl[];
}

/**
 * "The ICE servers above an implementation-defined limit are ignored. This limit
 * MUST be at least 32."
 */
export const MAX_ICE_SERVERS = 32;
/** RFC 8489 §14.3 (and the WPT tests): a username of at most 509 bytes of UTF-8. */
const MAX_USERNAME_BYTES = 509;

const iceTransportPolicies = ['relay', 'all'] as const;
const bundlePolicies = ['balanced', 'max-compat', 'max-bundle'] as const;
const rtcpMuxPolicies = ['require', 'negotiate'] as const;

/**
 * The RTCPeerConnection constructor's steps on its configuration: convert it, check
 * the certificates' expiry, refuse non-muxed RTCP, then "set the configuration".
 */
export function createConfiguration(init?: unknown, now = Date.now()): ConfigurationResult {
  const configuration = convertConfiguration(init);
  for (const certificate of configuration.certificates) {
    if (certificate.expires < now) {
      throw new DOMException(
        'a certificate in the configuration has expired',
        'InvalidAccessError',
      );
    }
  }
  if (configuration.rtcpMuxPolicy === 'negotiate') {
    throw new DOMException('non-multiplexed RTCP is not supported', 'NotSupportedError');
  }
  return { configuration, servers: setConfiguration(configuration, null, false) };
}

/**
 * setConfiguration(): convert, then "set the configuration" against the current one.
 * `localDescriptionSet`: setLocalDescription() has been called.
 */
export function updateConfiguration(
  init: unknown,
  old: Configuration,
  localDescriptionSet: boolean,
): ConfigurationResult {
  const configuration = convertConfiguration(init);
  return { configuration, servers: setConfiguration(configuration, old, localDescriptionSet) };
}

/** A fresh copy for getConfiguration(), so callers cannot change the stored one. */
export function copyConfiguration(c: Configuration): Configuration {
  return {
    iceServers: c.iceServers.map((s) => ({ ...s, urls: [...s.urls] })),
    iceTransportPolicy: c.iceTransportPolicy,
    bundlePolicy: c.bundlePolicy,
    rtcpMuxPolicy: c.rtcpMuxPolicy,
    certificates: [...c.certificates],
    iceCandidatePoolSize: c.iceCandidatePoolSize,
  };
}

/** "Set a configuration": returns the ICE server URLs the ICE agent is to use. */
function setConfiguration(
  configuration: Configuration,
  old: Configuration | null,
  localDescriptionSet: boolean,
): IceServerUrl[] {
  if (old) {
    const certificatesChanged =
      configuration.certificates.length !== old.certificates.length ||
      configuration.certificates.some((c, i) => c !== old.certificates[i]);
    const change = certificatesChanged
      ? 'certificates'
      : configuration.bundlePolicy !== old.bundlePolicy
        ? 'bundlePolicy'
        : configuration.rtcpMuxPolicy !== old.rtcpMuxPolicy
          ? 'rtcpMuxPolicy'
          : configuration.iceCandidatePoolSize !== old.iceCandidatePoolSize && localDescriptionSet
            ? 'iceCandidatePoolSize'
            : undefined;
    if (change) {
      throw new DOMException(`${change} cannot be changed`, 'InvalidModificationError');
    }
  }
  const servers: IceServerUrl[] = [];
  for (const server of configuration.iceServers.slice(0, MAX_ICE_SERVERS)) {
    if (server.urls.length === 0)
      throw new DOMException('an ICE server has no urls', 'SyntaxError');
    for (const url of server.urls) servers.push(validateIceServerUrl(url, server));
  }
  return servers;
}

/** "Validate an ICE server URL", returning what it parsed. */
export function validateIceServerUrl(
  url: string,
  server: { username?: string; credential?: string } = {},
): IceServerUrl {
  const syntax = (why: string) => new DOMException(`${JSON.stringify(url)}: ${why}`, 'SyntaxError');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw syntax('not a URL');
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'stun' && scheme !== 'stuns' && scheme !== 'turn' && scheme !== 'turns') {
    throw syntax('the scheme must be stun, stuns, turn or turns');
  }
  // The serialization tells what the URL object hides: an opaque path does not start
  // with "/", and a query or fragment is present even when empty.
  const afterScheme = parsed.href.slice(parsed.protocol.length);
  const hash = afterScheme.indexOf('#');
  const withoutFragment = hash < 0 ? afterScheme : afterScheme.slice(0, hash);
  const question = withoutFragment.indexOf('?');
  const path = question < 0 ? withoutFragment : withoutFragment.slice(0, question);
  const query = question < 0 ? null : withoutFragment.slice(question + 1);
  if (afterScheme.startsWith('/')) throw syntax('expected <scheme>:<host>[:<port>]');
  if (path.includes('/') || path.includes('@')) throw syntax('the host must not hold "/" or "@"');
  if (hash >= 0) throw syntax('a fragment is not allowed');
  if ((scheme === 'stun' || scheme === 'stuns') && query !== null)
    throw syntax('stun URLs take no query');
  let hostAndPort: URL;
  try {
    hostAndPort = new URL(`https://${path}`);
  } catch {
    throw syntax('bad host or port');
  }
  if (hostAndPort.pathname !== '/' || hostAndPort.username !== '' || hostAndPort.password !== '') {
    throw syntax('bad host or port');
  }
  if (query !== null && query !== 'transport=udp' && query !== 'transport=tcp') {
    throw syntax('the query must be transport=udp or transport=tcp');
  }
  const secure = scheme === 'stuns' || scheme === 'turns';
  if (scheme === 'turn' || scheme === 'turns') checkTurnCredentials(url, server);
  // The https parser drops port 443 as the default; only an explicit port counts here.
  const explicitPort = /:([0-9]+)$/.exec(
    path.startsWith('[') ? path.slice(path.indexOf(']')) : path,
  );
  const host = hostAndPort.hostname;
  const result: IceServerUrl = {
    url,
    scheme,
    host: host.startsWith('[') ? host.slice(1, -1) : host,
    port: explicitPort ? Number(explicitPort[1]) : secure ? 5349 : 3478,
    transport:
      query === null ? (secure ? 'tcp' : 'udp') : query === 'transport=udp' ? 'udp' : 'tcp',
    secure,
  };
  if (server.username !== undefined) result.username = server.username;
  if (server.credential !== undefined) result.credential = server.credential;
  return result;
}

/**
 * TURN needs a username of RFC 8489 §14.3 (at most 509 bytes) and a credential of the
 * OpaqueString profile (RFC 8265 §4); we reject what that profile surely excludes,
 * control characters.
 */
function checkTurnCredentials(
  url: string,
  server: { username?: string; credential?: string },
): void {
  const { username, credential } = server;
  const invalid = (why: string) =>
    new DOMException(`${JSON.stringify(url)}: ${why}`, 'InvalidAccessError');
  if (username === undefined || credential === undefined) {
    throw invalid('a TURN server needs a username and a credential');
  }
  if (Buffer.byteLength(username, 'utf8') > MAX_USERNAME_BYTES) {
    throw invalid(`the username is longer than ${MAX_USERNAME_BYTES} bytes`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(username + credential)) {
    throw invalid('the username or credential holds control characters');
  }
}

/**
 * WebIDL conversion of an RTCConfiguration: each member read and converted in turn,
 * in lexicographic order.
 */
function convertConfiguration(init: unknown): Configuration {
  const dict = toDictionary(init, 'RTCConfiguration');
  const bundlePolicy = toOptional(dict.bundlePolicy, 'balanced', (v) =>
    toEnum(v, bundlePolicies, 'RTCBundlePolicy'),
  );
  const certificates = toOptional(dict.certificates, [], (v) =>
    toSequence(v, 'certificates').map(toCertificate),
  );
  const iceCandidatePoolSize = toOptional(dict.iceCandidatePoolSize, 0, (v) =>
    toEnforcedUnsigned(v, 255, 'iceCandidatePoolSize'),
  );
  const iceServers = toOptional(dict.iceServers, [], (v) =>
    toSequence(v, 'iceServers').map(convertIceServer),
  );
  const iceTransportPolicy = toOptional(dict.iceTransportPolicy, 'all', (v) =>
    toEnum(v, iceTransportPolicies, 'RTCIceTransportPolicy'),
  );
  const rtcpMuxPolicy = toOptional(dict.rtcpMuxPolicy, 'require', (v) =>
    toEnum(v, rtcpMuxPolicies, 'RTCRtcpMuxPolicy'),
  );
  return {
    iceServers,
    iceTransportPolicy,
    bundlePolicy,
    rtcpMuxPolicy,
    certificates,
    iceCandidatePoolSize,
  };
}

/** RTCCertificate is recognized by its `expires` until the class is there to check. */
function toCertificate(value: unknown): CertificateLike {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as CertificateLike).expires !== 'number'
  ) {
    throw new TypeError('certificates must hold RTCCertificate objects');
  }
  return value as CertificateLike;
}

function convertIceServer(value: unknown): Configuration['iceServers'][number] {
  const dict = toDictionary(value, 'RTCIceServer');
  const credential = toOptional(dict.credential, undefined, toDOMString);
  const urls = dict.urls;
  if (urls === undefined) throw new TypeError("RTCIceServer: required member 'urls' is undefined");
  // (USVString or sequence<USVString>): an iterable object is a sequence, anything else a string.
  const list = isIterableObject(urls)
    ? toSequence(urls, 'urls').map(toUSVString)
    : [toUSVString(urls)];
  const username = toOptional(dict.username, undefined, toDOMString);
  const server: Configuration['iceServers'][number] = { urls: list };
  if (username !== undefined) server.username = username;
  if (credential !== undefined) server.credential = credential;
  return server;
}
