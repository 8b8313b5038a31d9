/** ICE candidates (RFC 8445 §5.1). The SDP grammar for them lives in src/sdp (RFC 8839 §5.1). */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type CandidateProtocol = 'udp' | 'tcp';
export type TcpType = 'active' | 'passive' | 'so';

/** An ICE candidate. Field names follow the W3C RTCIceCandidate attributes. */
export interface Candidate {
  foundation: string;
  /** 1 for RTP (the only component with rtcp-mux), 2 for RTCP. */
  component: number;
  protocol: CandidateProtocol;
  priority: number;
  /** An IP address, or an mDNS name ending in `.local`. */
  address: string;
  port: number;
  type: CandidateType;
  relatedAddress?: string;
  relatedPort?: number;
  tcpType?: TcpType;
  /** Local relayed candidates: the transport to the TURN server (W3C RTCIceCandidate.relayProtocol). */
  relayProtocol?: 'udp' | 'tcp' | 'tls';
  /** Local server-reflexive and relayed candidates: the STUN or TURN server's URL (W3C). */
  url?: string;
  /** Extension attributes after the standard fields, in order (generation, ufrag, network-id, ...). */
  extensions?: [name: string, value: string][];
}

/** RFC 8445 §5.1.2.2 recommended type preferences. */
export const TYPE_PREFERENCE: Readonly<Record<CandidateType, number>> = {
  host: 126,
  prflx: 110,
  srflx: 100,
  relay: 0,
};

/** RFC 8445 §5.1.2.1: priority = 2^24·type preference + 2^8·local preference + (256 − component ID). */
export function candidatePriority(
  type: CandidateType,
  localPreference: number,
  component = 1,
): number {
  return TYPE_PREFERENCE[type] * 0x1000000 + localPreference * 0x100 + (256 - component);
}

/** The `ufrag` extension of a candidate (RFC 8839 §5.1 extension attributes), if any. */
export function candidateUfrag(candidate: Candidate): string | undefined {
  return candidate.extensions?.find(([name]) => name === 'ufrag')?.[1];
}
