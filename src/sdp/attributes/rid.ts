/** RTP stream identifiers, a=rid (RFC 8851 §10). */

export interface Rid {
  id: string;
  direction: 'send' | 'recv';
  /** The `pt=` list, when present. */
  payloadTypes?: string[];
  /** The other restrictions (`max-width=1280`, ...) in order; a bare name has the value undefined. */
  params: [string, string | undefined][];
}

/** `rid-id = 1*(alpha-numeric / "-" / "_")`. */
export const RID_ID = /^[A-Za-z0-9\-_]+$/;
const PARAM_NAME = /^[A-Za-z0-9-]+$/;
/** `param-val`: printable characters but `;`. */
const PARAM_VALUE = /^[\x20-\x3a\x3c-\x7e]*$/;

/** `rid:<rid-id> SP <send|recv> [SP pt=<fmt>,... / SP <rid-param>] *(";" rid-param)`. */
export function parseRid(value: string | null): Rid | undefined {
  if (value === null) return undefined;
  const [id, direction, ...more] = value.split(' ');
  if (!id || !RID_ID.test(id) || (direction !== 'send' && direction !== 'recv')) return undefined;
  const rid: Rid = { id, direction, params: [] };
  if (more.length === 0) return rid;
  for (const param of more.join(' ').split(';')) {
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    const v = eq < 0 ? undefined : param.slice(eq + 1);
    if (!PARAM_NAME.test(name) || (v !== undefined && !PARAM_VALUE.test(v))) return undefined;
    if (name === 'pt' && rid.payloadTypes === undefined && rid.params.length === 0) {
      const pts = v?.split(',');
      if (!pts?.every((pt) => /^[0-9]{1,3}$/.test(pt))) return undefined;
      rid.payloadTypes = pts;
    } else {
      rid.params.push([name, v]);
    }
  }
  return rid;
}

export function formatRid(r: Rid): string {
  const params = r.params.map(([n, v]) => (v === undefined ? n : `${n}=${v}`));
  if (r.payloadTypes) params.unshift(`pt=${r.payloadTypes.join(',')}`);
  return params.length === 0
    ? `${r.id} ${r.direction}`
    : `${r.id} ${r.direction} ${params.join(';')}`;
}
