/** Code points from the TLS and DTLS registries (RFC 5246, 6347, 8422, 8446 §4.2.3, 5764, 7627, 5746). */

/** RFC 5246 §6.2.1 ContentType. */
export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;

/** RFC 5246 §7.4 and RFC 6347 §4.3.2 HandshakeType. */
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
} as const;

/** DTLS versions are the ones' complement of the TLS version they map to (RFC 6347 §4.1). */
export const ProtocolVersion = {
  DTLS1_0: 0xfeff,
  DTLS1_2: 0xfefd,
} as const;

/** RFC 5246 §7.2 AlertLevel. */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

/** RFC 5246 §7.2 AlertDescription (the ones this implementation sends or names). */
export const AlertDescription = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  user_canceled: 90,
  no_renegotiation: 100,
  unsupported_extension: 110,
} as const;

/** Extension types (IANA "TLS ExtensionType Values"). */
export const ExtensionType = {
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  extended_master_secret: 23,
  renegotiation_info: 0xff01,
} as const;

/** RFC 8422 §5.1.1 NamedCurve (renamed NamedGroup by RFC 8446). */
export const NamedGroup = {
  secp256r1: 23,
  secp384r1: 24,
  secp521r1: 25,
  x25519: 29,
} as const;

/** RFC 8422 §5.4 ECCurveType. */
export const ECCurveType = { named_curve: 3 } as const;

/** RFC 8422 §5.1.2 ECPointFormat. */
export const ECPointFormat = { uncompressed: 0 } as const;

/**
 * SignatureScheme values (RFC 8446 §4.2.3); in TLS 1.2 the two bytes are the
 * SignatureAndHashAlgorithm pair of RFC 5246 §7.4.1.4.1 (hash, signature).
 */
export const SignatureScheme = {
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
} as const;

/** RFC 5246 §7.4.4 ClientCertificateType and RFC 8422 §5.5. */
export const ClientCertificateType = { rsa_sign: 1, ecdsa_sign: 64 } as const;

/** RFC 5746 §3.3: signals secure renegotiation in a ClientHello without the extension. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

/** The null CompressionMethod, the only one DTLS 1.2 peers use. */
export const CompressionMethod = { null: 0 } as const;
