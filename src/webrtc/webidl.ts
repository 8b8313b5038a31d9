/**
 * WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) of the arguments
 * the W3C objects take: dictionaries, strings, enumerations, integers with and without
 * [EnforceRange], sequences and interface types. Each throws the TypeError WebIDL names;
 * `name` says what was being converted, for the message.
 */

/** A dictionary: undefined and null are empty; anything else must be an object. */
export function toDictionary(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** DOMString: ECMAScript ToString, which throws TypeError for a Symbol. */
export function toDOMString(value: unknown): string {
  if (typeof value === 'symbol') throw new TypeError('cannot convert a Symbol to a string');
  return `${value}`;
}

/** USVString: a DOMString with lone surrogates replaced by U+FFFD. */
export function toUSVString(value: unknown): string {
  return toDOMString(value).replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/** An optional dictionary member: its default when undefined, else converted. */
export function toOptional<T>(value: unknown, fallback: T, convert: (v: unknown) => T): T {
  return value === undefined ? fallback : convert(value);
}

/** A nullable type: undefined and null are null, anything else converted. */
export function toNullable<T>(value: unknown, convert: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : convert(value);
}

/** An enumeration value: the string must be one of `values`. */
export function toEnum<T extends string>(value: unknown, values: readonly T[], name: string): T {
  const s = toDOMString(value);
  if (!(values as readonly string[]).includes(s)) {
    throw new TypeError(`'${s}' is not a valid value for enumeration ${name}`);
  }
  return s as T;
}

/** What an enumeration attribute's setter takes: undefined for a value it ignores. */
export function toEnumAttribute<T extends string>(
  value: unknown,
  values: readonly T[],
): T | undefined {
  const s = toDOMString(value);
  return (values as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** ECMAScript ToNumber, which throws TypeError for a Symbol or a BigInt. */
export function toNumber(value: unknown): number {
  return +(value as number);
}

/** A restricted `double`: a TypeError unless finite. */
export function toRestrictedDouble(value: unknown, name: string): number {
  const n = toNumber(value);
  if (!Number.isFinite(n)) throw new TypeError(`${name} must be a finite number`);
  return n;
}

/** An integer type without [EnforceRange]: ToNumber, truncated, modulo 2^bits. */
function modulo(value: unknown, bits: 16 | 32): number {
  const n = Math.trunc(toNumber(value));
  if (!Number.isFinite(n)) return 0;
  const m = 2 ** bits;
  return ((n % m) + m) % m;
}

/** `unsigned short`. */
export function toUnsignedShort(value: unknown): number {
  return modulo(value, 16);
}

/** `unsigned long`. */
export function toUnsignedLong(value: unknown): number {
  return modulo(value, 32);
}

/** `long`. */
export function toLong(value: unknown): number {
  return modulo(value, 32) | 0;
}

/**
 * `[EnforceRange]` of an unsigned integer type of at most `max` (255 for octet, 0xffff for
 * unsigned short, 0xffffffff for unsigned long, 2^53 - 1 for unsigned long long): a
 * TypeError unless finite and in range once truncated.
 */
export function toEnforcedUnsigned(value: unknown, max: number, name: string): number {
  const n = toNumber(value);
  if (!Number.isFinite(n)) throw new TypeError(`${name} must be a finite number`);
  const t = Math.trunc(n);
  if (t < 0 || t > max) throw new TypeError(`${name} must be in [0, ${max}]`);
  return t + 0; // no -0
}

export function isIterableObject(value: unknown): value is Iterable<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function'
  );
}

/** A sequence: an iterable object (not a string), read to the end. */
export function toSequence(value: unknown, name: string): unknown[] {
  if (!isIterableObject(value)) throw new TypeError(`${name} must be a sequence`);
  return [...value];
}

/** An interface type: an instance of `type`. */
export function toInterface<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
  name: string,
): T {
  if (!(value instanceof type)) throw new TypeError(`${name} is not of type '${type.name}'`);
  return value;
}

/** A required dictionary member: a TypeError when undefined, else converted. */
export function toRequired<T>(value: unknown, convert: (v: unknown) => T, name: string): T {
  if (value === undefined) throw new TypeError(`required member ${name} is undefined`);
  return convert(value);
}

/** A required dictionary member of an interface type. */
export function toRequiredInterface<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
  name: string,
): T {
  return toRequired(value, (v) => toInterface(v, type, name), name);
}

/** An operation or constructor called with fewer than `needed` arguments. */
export function requireArguments(count: number, needed: number, context: string): void {
  if (count < needed) {
    throw new TypeError(
      `${context}: ${needed} argument${needed === 1 ? '' : 's'} required, but only ${count} present.`,
    );
  }
}

/** The DOM's EventInit members, for the events' own init dictionaries. */
export function toEventInit(d: Record<string, unknown>): {
  bubbles: boolean;
  cancelable: boolean;
  composed: boolean;
} {
  return {
    bubbles: Boolean(d.bubbles),
    cancelable: Boolean(d.cancelable),
    composed: Boolean(d.composed),
  };
}
