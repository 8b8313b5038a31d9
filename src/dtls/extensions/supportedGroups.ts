/** supported_groups (RFC 8422 §5.1.1, "elliptic_curves" there): NamedCurve named_curve_list<2..2^16-1>. */
import { Reader, u16List } from '../codec.js';

export function encodeSupportedGroups(groups: readonly number[]): Buffer {
  return u16List(2, groups);
}

export function decodeSupportedGroups(data: Buffer): number[] {
  const r = new Reader(data);
  const groups = r.u16List(2, 2);
  r.end();
  return groups;
}
