/**
 * The client side of STUN's long-term credential mechanism (RFC 8489 §9.2), as TURN uses
 * it (RFC 8656 §7.1): the first request goes without credentials; the server's 401 brings
 * REALM and NONCE (and, from RFC 8489 servers, PASSWORD-ALGORITHMS); every later request
 * carries USERNAME (or USERHASH), REALM, NONCE, the password algorithm and
 * MESSAGE-INTEGRITY(-SHA256) keyed with H(username:realm:password). A 438 brings a new
 * nonce. Responses to signed requests must carry a valid integrity attribute.
 */
import {
  type IntegrityCheck,
  longTermKey,
  Nonce,
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
  PasswordAlgorithm,
  PasswordAlgorithms,
  type PasswordAlgorithmValue,
  Realm,
  type StunMessage,
  type StunWriter,
  Userhash,
  Username,
  userhash,
} from '../stun/index.js';

/** RFC 8489 §9.2.1: a nonce starting with this carries the server's security features. */
const NONCE_COOKIE = 'obMatJos2';
/** §18.1 STUN Security Features, counted from the least significant bit of the 24. */
const FEATURE_PASSWORD_ALGORITHMS = 0x000001;
const FEATURE_USERNAME_ANONYMITY = 0x000002;
/** RFC 8489 §14.3: a username of at most 509 bytes of UTF-8. */
const MAX_USERNAME_BYTES = 509;

/** Why a challenge cannot be answered. */
export type ChallengeRefusal = 'no-realm' | 'no-nonce' | 'bad-realm' | 'no-algorithm';

export class LongTermCredentials {
  readonly username: string;
  readonly #password: string;
  #realm: string | undefined;
  #nonce: string | undefined;
  #key: Buffer | undefined;
  #userhash: Buffer | undefined;
  /** The PASSWORD-ALGORITHMS list of the 401, echoed with PASSWORD-ALGORITHM (§9.2.3.1). */
  #algorithms: PasswordAlgorithmValue[] | undefined;
  #algorithm: PasswordAlgorithmValue | undefined;
  #sha256 = false;

  constructor(username: string, password: string) {
    if (Buffer.byteLength(username, 'utf8') > MAX_USERNAME_BYTES)
      throw new TypeError(`a TURN username is at most ${MAX_USERNAME_BYTES} bytes`);
    this.username = username;
    this.#password = password;
  }

  /** Whether a challenge has been answered: requests can be signed. */
  get ready(): boolean {
    return this.#key !== undefined;
  }

  get realm(): string | undefined {
    return this.#realm;
  }

  /**
   * Takes the REALM, NONCE and PASSWORD-ALGORITHMS of a 401 (§9.2.5, first bullet) or the
   * new NONCE of a 438. Returns why the request must not be retried, or undefined.
   */
  challenge(response: StunMessage): ChallengeRefusal | undefined {
    const nonce = response.get(Nonce);
    if (nonce === undefined) return 'no-nonce';
    const realm = response.get(Realm) ?? this.#realm;
    if (realm === undefined) return 'no-realm';
    const features = securityFeatures(nonce);
    const offered = response.get(PasswordAlgorithms);
    // §9.2.5: the cookie promises PASSWORD-ALGORITHMS; without it, a bid-down is under way.
    if (features & FEATURE_PASSWORD_ALGORITHMS && offered === undefined) return 'no-algorithm';
    let algorithm: PasswordAlgorithmValue | undefined;
    if (offered !== undefined) {
      // The server lists its algorithms by preference; take the first we know.
      algorithm = offered.find(
        (a) => a.algorithm === PASSWORD_ALGORITHM_MD5 || a.algorithm === PASSWORD_ALGORITHM_SHA256,
      );
      if (algorithm === undefined) return 'no-algorithm';
    }
    if (realm !== this.#realm || algorithm?.algorithm !== this.#algorithm?.algorithm) {
      try {
        this.#key = longTermKey(this.username, realm, this.#password, {
          algorithm: algorithm?.algorithm ?? PASSWORD_ALGORITHM_MD5,
        });
      } catch {
        return 'bad-realm'; // a realm OpaqueString refuses (empty, control characters)
      }
      this.#userhash =
        features & FEATURE_USERNAME_ANONYMITY ? userhash(this.username, realm) : undefined;
    }
    this.#realm = realm;
    this.#nonce = nonce;
    this.#algorithms = offered;
    this.#algorithm = algorithm;
    // RFC 8489 servers that negotiate the algorithm expect MESSAGE-INTEGRITY-SHA256.
    this.#sha256 = offered !== undefined;
    return undefined;
  }

  /** Whether `response` carries the same REALM as the one we sign with (a 401 may change it). */
  sameRealm(response: StunMessage): boolean {
    const realm = response.get(Realm);
    return realm === undefined || realm === this.#realm;
  }

  /**
   * Adds the credential attributes and the integrity attribute, which must come last
   * (nothing but FINGERPRINT may follow); returns the finished message.
   */
  sign(writer: StunWriter): Buffer {
    const key = this.#key;
    if (key === undefined) throw new Error('no challenge answered yet');
    if (this.#userhash !== undefined) writer.add(Userhash, this.#userhash);
    else writer.add(Username, this.username);
    writer.add(Realm, this.#realm!).add(Nonce, this.#nonce!);
    if (this.#algorithms !== undefined && this.#algorithm !== undefined)
      writer.add(PasswordAlgorithms, this.#algorithms).add(PasswordAlgorithm, this.#algorithm);
    return (
      this.#sha256 ? writer.addMessageIntegritySha256(key) : writer.addMessageIntegrity(key)
    ).finish();
  }

  /** RFC 8489 §9.2.5: the response's integrity with our key. */
  verify(response: StunMessage): IntegrityCheck {
    return this.#key === undefined ? 'missing' : response.checkIntegrity(this.#key);
  }

  /**
   * §9.2.3.2: later requests use the integrity attribute the server answered the first
   * signed one with; a server that answers MESSAGE-INTEGRITY only gets MESSAGE-INTEGRITY.
   */
  learnIntegrity(response: StunMessage): void {
    if (this.#sha256 && response.integritySha256Offset < 0 && response.integrityOffset >= 0)
      this.#sha256 = false;
  }
}

/** The 24 security feature bits of a nonce that starts with the cookie, else 0 (§9.2.1). */
export function securityFeatures(nonce: string): number {
  if (!nonce.startsWith(NONCE_COOKIE) || nonce.length < NONCE_COOKIE.length + 4) return 0;
  const bits = Buffer.from(nonce.slice(NONCE_COOKIE.length, NONCE_COOKIE.length + 4), 'base64');
  return bits.length === 3 ? bits.readUIntBE(0, 3) : 0;
}
