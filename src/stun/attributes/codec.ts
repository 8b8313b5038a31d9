/** How one STUN attribute's value is read and written (RFC 8489 §14). */
export interface AttributeCodec<T> {
  readonly type: number;
  /** The name the RFCs give it, for messages and tables. */
  readonly name: string;
  /**
   * Whether the attribute may appear more than once (XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS);
   * a repeat of any other attribute makes the message malformed.
   */
  readonly repeatable?: boolean;
  /**
   * The value, or undefined when the bytes are not a valid value. `header` is the message's
   * first 20 bytes (the XOR address attributes need the cookie and the transaction id).
   * Must not throw.
   */
  decode(value: Buffer, header: Buffer): T | undefined;
  /** The value's length in bytes, before padding. Throws RangeError for a value it cannot carry. */
  size(value: T): number;
  /** Writes the value at `offset`. */
  write(value: T, out: Buffer, offset: number, header: Buffer): void;
}
