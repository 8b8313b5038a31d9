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
  /** Extension attributes after the standard fields, in order (generation, ufrag, network-id, ...). */
  extensions?: [name: string, value: string][];
}
