/**
 * RTCPeerConnection (W3C webrtc-pc §4, §5, §6, §8): the interface, its constructor and
 * internal slots, the operations chain, and the methods in the spec's order. The
 * larger algorithms live next to this file: "set a session description"
 * (set-description.ts), the JSEP glue (offer-answer.ts), negotiation-needed
 * (negotiation-needed.ts), the transports and their events (transport-events.ts,
 * jsep-transport.ts) and getStats (stats.ts).
 *
 * Events are fired from queued tasks (task-queue.ts): one setImmediate per task, so a
 * promise a task resolves settles after the events that task fires, as in a browser.
 */
import { randomBytes } from 'node:crypto';
import {
  type Configuration,
  copyConfiguration,
  createConfiguration,
  type RTCConfiguration,
  updateConfiguration,
} from './configuration.js';
import type { ConnectionLink } from './connection-link.js';
import { domError, rejectDom } from './dom-errors.js';
import { defineEventHandlers } from './event-handler.js';
import type { EventHandler } from './idl.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import { updateNegotiationNeeded } from './negotiation-needed.js';
import { generateAnswer, generateOffer } from './offer-answer.js';
import type {
  PeerConnectionSlots,
  RTCIceConnectionState,
  RTCIceGatheringState,
  RTCPeerConnectionState,
  RTCSignalingState,
} from './peer-connection-state.js';
import {
  type AlgorithmIdentifier,
  connectionCertificate,
  generateCertificate,
  type RTCCertificate,
} from './RTCCertificate.js';
import type { RTCDataChannel, RTCDataChannelInit } from './RTCDataChannel.js';
import {
  type IceCandidateInit,
  type RTCIceCandidate,
  type RTCIceCandidateInit,
  toIceCandidateInit,
} from './RTCIceCandidate.js';
import { createReceiver, type RTCRtpReceiver } from './RTCRtpReceiver.js';
import {
  createSender,
  MAX_SEND_ENCODINGS,
  type RTCRtpEncodingParameters,
  RTCRtpSender,
  senderSlots,
} from './RTCRtpSender.js';
import {
  createTransceiver,
  type RTCRtpTransceiver,
  type RTCRtpTransceiverDirection,
  transceiverDirections,
  transceiverSlots,
} from './RTCRtpTransceiver.js';
import type { RTCSctpTransport } from './RTCSctpTransport.js';
import {
  type RTCSdpType,
  type RTCSessionDescription,
  type RTCSessionDescriptionInit,
  sdpTypes,
} from './RTCSessionDescription.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { createDataChannel } from './sctp-transport.js';
import { setSessionDescription, validForState } from './set-description.js';
import { gatherStats } from './stats.js';
import { queueTask } from './task-queue.js';
import { addRemoteCandidate, closeConnection, startCandidatePool } from './transport-events.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEnum,
  toInterface,
  toOptional,
  toRequired,
  toSequence,
} from './webidl.js';

export interface RTCOfferOptions {
  iceRestart?: boolean;
  offerToReceiveAudio?: boolean;
  offerToReceiveVideo?: boolean;
}

export type RTCAnswerOptions = Record<string, never>;

export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
  sendEncodings?: RTCRtpEncodingParameters[];
}

type SessionDescriptionCallback = (description: RTCSessionDescriptionInit) => void;
type ErrorCallback = (error: DOMException) => void;

let slotsOf: (pc: RTCPeerConnection) => PeerConnectionSlots;

export class RTCPeerConnection extends EventTarget {
  // Event handler IDL attributes, defined by defineEventHandlers below.
  declare onnegotiationneeded: EventHandler;
  declare onicecandidate: EventHandler;
  declare onicecandidateerror: EventHandler;
  declare onsignalingstatechange: EventHandler;
  declare oniceconnectionstatechange: EventHandler;
  declare onicegatheringstatechange: EventHandler;
  declare onconnectionstatechange: EventHandler;
  declare ontrack: EventHandler;
  declare ondatachannel: EventHandler;

  readonly #s: PeerConnectionSlots;

  static {
    slotsOf = (pc) => pc.#s;
  }

  constructor(configuration: RTCConfiguration = {}) {
    super();
    // Steps 4-5 and "set the configuration" (configuration.ts): expired certificates
    // are an InvalidAccessError, bad values the exceptions the spec names.
    const { configuration: config, servers } = createConfiguration(configuration);
    const link: ConnectionLink = {
      get isClosed() {
        return s.isClosed;
      },
      get connectionState() {
        return s.connectionState;
      },
      get cname() {
        return s.cname;
      },
      updateNegotiationNeeded: () => updateNegotiationNeeded(s),
      chain: (operation) => this.#chain(operation),
      statsFor: (selector) => gatherStats(s, selector),
    };
    const s: PeerConnectionSlots = {
      target: this,
      link,
      configuration: config,
      iceServers: servers,
      certificates: config.certificates as RTCCertificate[],
      certificatesReady: Promise.resolve(),
      isClosed: false,
      negotiationNeeded: false,
      operations: [],
      updateNegotiationNeededFlagOnEmptyChain: false,
      lastCreatedOffer: '',
      lastCreatedAnswer: '',
      lastOfferLayout: undefined,
      earlyCandidates: [],
      signalingState: 'stable',
      iceConnectionState: 'new',
      iceGatheringState: 'new',
      connectionState: 'new',
      pendingLocalDescription: null,
      currentLocalDescription: null,
      pendingRemoteDescription: null,
      currentRemoteDescription: null,
      localIceCredentialsToReplace: new Set(),
      sctpTransport: null,
      lastStableStateSctpTransport: null,
      dataChannels: [],
      dataChannelCreated: false,
      transceivers: [],
      remoteStreams: new Map(),
      canTrickleIceCandidates: null,
      setLocalDescriptionCalled: false,
      sessionId: newSessionId(),
      sessionVersion: 1,
      dataMid: null,
      lastStableDataMid: null,
      transportByMid: new Map(),
      transports: new Set(),
      iceConfigurationChanged: false,
      pendingCredentials: new Map(),
      cname: randomBytes(12).toString('base64'),
      dataChannelsOpened: 0,
      dataChannelsClosed: 0,
      candidatePool: [],
    };
    this.#s = s;
    // Step 6: without certificates, one ECDSA P-256 certificate is generated (in advance,
    // see connectionCertificate); the operations that need it wait for it.
    if (s.certificates.length === 0) {
      s.certificatesReady = connectionCertificate().then((certificate) => {
        s.certificates = [certificate];
      });
    }
    if (config.iceCandidatePoolSize > 0) startCandidatePool(s);
  }

  static generateCertificate(keygenAlgorithm: AlgorithmIdentifier): Promise<RTCCertificate> {
    try {
      requireArguments(arguments.length, 1, "Failed to execute 'generateCertificate'");
      return generateCertificate(keygenAlgorithm);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** "Chain an asynchronous operation". */
  #chain<T>(operation: () => Promise<T>): Promise<T> {
    const s = this.#s;
    if (s.isClosed) return rejectDom('InvalidStateError', 'The RTCPeerConnection is closed');
    let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
    const p = new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const run = () => {
      let result: Promise<T>;
      try {
        result = operation();
      } catch (e) {
        result = Promise.reject(e);
      }
      result.then(
        (value) => {
          if (!s.isClosed) settle.resolve(value);
        },
        (reason) => {
          if (!s.isClosed) settle.reject(reason);
        },
      );
    };
    const next = () => {
      if (s.isClosed) return;
      s.operations.shift();
      if (s.operations.length > 0) {
        s.operations[0]!();
        return;
      }
      if (!s.updateNegotiationNeededFlagOnEmptyChain) return;
      s.updateNegotiationNeededFlagOnEmptyChain = false;
      updateNegotiationNeeded(s);
    };
    p.then(next, next);
    s.operations.push(run);
    if (s.operations.length === 1) run();
    return p;
  }

  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createOffer(
    successCallback: SessionDescriptionCallback,
    failureCallback: ErrorCallback,
    options?: RTCOfferOptions,
  ): Promise<void>;
  createOffer(...args: unknown[]): Promise<unknown> {
    if (typeof args[0] === 'function') {
      return legacy(this.createOffer(args[2] as RTCOfferOptions), args[0], args[1]);
    }
    let options: RTCOfferOptions;
    try {
      options = convertOfferOptions(args[0]);
    } catch (e) {
      return Promise.reject(e);
    }
    const s = this.#s;
    if (s.isClosed) return rejectDom('InvalidStateError', 'The RTCPeerConnection is closed');
    if (options.offerToReceiveAudio !== undefined)
      this.#offerToReceive('audio', options.offerToReceiveAudio);
    if (options.offerToReceiveVideo !== undefined)
      this.#offerToReceive('video', options.offerToReceiveVideo);
    return this.#chain(() => this.#createOffer(options.iceRestart === true));
  }

  /** The legacy offerToReceive<Kind> steps ("Legacy configuration extensions"). */
  #offerToReceive(kind: 'audio' | 'video', value: boolean): void {
    const live = this.#s.transceivers
      .map(transceiverSlots)
      .filter((t) => t.kind === kind && !t.stopped && !t.stopping);
    if (!value) {
      for (const t of live) {
        if (t.direction === 'sendrecv') t.direction = 'sendonly';
        else if (t.direction === 'recvonly') t.direction = 'inactive';
      }
      return;
    }
    if (live.some((t) => t.direction === 'sendrecv' || t.direction === 'recvonly')) return;
    // addTransceiver(kind) without updating the negotiation-needed flag.
    this.#addTransceiver(kind, null, 'recvonly', [], undefined);
  }

  /** "Create an offer". */
  #createOffer(iceRestart: boolean): Promise<RTCSessionDescriptionInit> {
    const s = this.#s;
    if (s.signalingState !== 'stable' && s.signalingState !== 'have-local-offer') {
      return rejectDom('InvalidStateError', `Cannot create an offer in state ${s.signalingState}`);
    }
    return s.certificatesReady.then(
      () =>
        new Promise((resolve) => {
          // The final steps, in a task.
          queueTask(() => {
            if (s.isClosed) return;
            const sdp = generateOffer(s, iceRestart);
            s.lastCreatedOffer = sdp;
            resolve({ type: 'offer', sdp });
          });
        }),
      () => rejectDom('OperationError', 'The certificate could not be generated'),
    );
  }

  createAnswer(options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(
    successCallback: SessionDescriptionCallback,
    failureCallback: ErrorCallback,
  ): Promise<void>;
  createAnswer(...args: unknown[]): Promise<unknown> {
    if (typeof args[0] === 'function') return legacy(this.createAnswer(), args[0], args[1]);
    try {
      if (args[0] !== undefined) toDictionary(args[0], 'RTCAnswerOptions');
    } catch (e) {
      return Promise.reject(e);
    }
    const s = this.#s;
    if (s.isClosed) return rejectDom('InvalidStateError', 'The RTCPeerConnection is closed');
    return this.#chain(() => this.#createAnswer());
  }

  /** "Create an answer". */
  #createAnswer(): Promise<RTCSessionDescriptionInit> {
    const s = this.#s;
    if (s.signalingState !== 'have-remote-offer' && s.signalingState !== 'have-local-pranswer') {
      return rejectDom('InvalidStateError', `Cannot create an answer in state ${s.signalingState}`);
    }
    return s.certificatesReady.then(
      () =>
        new Promise((resolve) => {
          queueTask(() => {
            if (s.isClosed) return;
            const sdp = generateAnswer(s);
            s.lastCreatedAnswer = sdp;
            resolve({ type: 'answer', sdp });
          });
        }),
      () => rejectDom('OperationError', 'The certificate could not be generated'),
    );
  }

  setLocalDescription(
    description?: RTCSessionDescriptionInit | { type?: RTCSdpType; sdp?: string },
  ): Promise<void>;
  setLocalDescription(
    description: RTCSessionDescriptionInit,
    successCallback: () => void,
    failureCallback: ErrorCallback,
  ): Promise<void>;
  setLocalDescription(...args: unknown[]): Promise<void> {
    if (args.length >= 2) {
      return legacy(
        this.setLocalDescription(args[0] as RTCSessionDescriptionInit),
        args[1],
        args[2],
      );
    }
    let description: { type: RTCSdpType | undefined; sdp: string };
    try {
      description = convertDescription(args[0], false);
    } catch (e) {
      return Promise.reject(e);
    }
    const s = this.#s;
    return this.#chain(() => {
      let { type, sdp } = description;
      const state = s.signalingState;
      type ??=
        state === 'stable' || state === 'have-local-offer' || state === 'have-remote-pranswer'
          ? 'offer'
          : 'answer';
      // A type the state does not allow fails as such before its SDP is compared (as in
      // browsers and the WPT tests), since no description could be valid there.
      if (type !== 'rollback' && !validForState(s, type, false)) {
        return rejectDom('InvalidStateError', `Cannot set a local ${type} in state ${state}`);
      }
      if (type === 'offer' && sdp !== '' && !sameAsCreated(sdp, s.lastCreatedOffer)) {
        return rejectDom(
          'InvalidModificationError',
          'The SDP does not match the last created offer',
        );
      }
      if (
        (type === 'answer' || type === 'pranswer') &&
        sdp !== '' &&
        !sameAsCreated(sdp, s.lastCreatedAnswer)
      ) {
        return rejectDom(
          'InvalidModificationError',
          'The SDP does not match the last created answer',
        );
      }
      if (sdp === '' && type === 'offer') {
        sdp = s.lastCreatedOffer;
        if (sdp === '' || !offerStillCurrent(s)) {
          return this.#createOffer(false).then((offer) =>
            setSessionDescription(s, 'offer', offer.sdp ?? '', false),
          );
        }
      }
      if (sdp === '' && (type === 'answer' || type === 'pranswer')) {
        sdp = s.lastCreatedAnswer;
        if (sdp === '') {
          const t = type;
          return this.#createAnswer().then((answer) =>
            setSessionDescription(s, t, answer.sdp ?? '', false),
          );
        }
      }
      return setSessionDescription(s, type, sdp, false);
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(
    description: RTCSessionDescriptionInit,
    successCallback: () => void,
    failureCallback: ErrorCallback,
  ): Promise<void>;
  setRemoteDescription(...args: unknown[]): Promise<void> {
    if (args.length >= 2) {
      return legacy(
        this.setRemoteDescription(args[0] as RTCSessionDescriptionInit),
        args[1],
        args[2],
      );
    }
    let description: { type: RTCSdpType | undefined; sdp: string };
    try {
      requireArguments(args.length, 1, "Failed to execute 'setRemoteDescription'");
      description = convertDescription(args[0], true);
    } catch (e) {
      return Promise.reject(e);
    }
    const s = this.#s;
    const type = description.type!;
    return this.#chain(() => {
      // An offer in a state where it is invalid rolls back the local offer first (glare).
      if (
        type === 'offer' &&
        s.signalingState !== 'stable' &&
        s.signalingState !== 'have-remote-offer'
      ) {
        return setSessionDescription(s, 'rollback', '', false).then(() =>
          setSessionDescription(s, type, description.sdp, true),
        );
      }
      return setSessionDescription(s, type, description.sdp, true);
    });
  }

  get localDescription(): RTCSessionDescription | null {
    const s = this.#s;
    return (s.pendingLocalDescription ?? s.currentLocalDescription)?.description ?? null;
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#s.currentLocalDescription?.description ?? null;
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#s.pendingLocalDescription?.description ?? null;
  }
  get remoteDescription(): RTCSessionDescription | null {
    const s = this.#s;
    return (s.pendingRemoteDescription ?? s.currentRemoteDescription)?.description ?? null;
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#s.currentRemoteDescription?.description ?? null;
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#s.pendingRemoteDescription?.description ?? null;
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate | null): Promise<void>;
  addIceCandidate(
    candidate: RTCIceCandidateInit | RTCIceCandidate | null,
    successCallback: () => void,
    failureCallback: ErrorCallback,
  ): Promise<void>;
  addIceCandidate(...args: unknown[]): Promise<void> {
    if (args.length >= 2) {
      return legacy(this.addIceCandidate(args[0] as RTCIceCandidateInit), args[1], args[2]);
    }
    let init: IceCandidateInit;
    try {
      init = toIceCandidateInit(args[0]);
    } catch (e) {
      return Promise.reject(e);
    }
    if (init.candidate !== '' && init.sdpMid === null && init.sdpMLineIndex === null) {
      return Promise.reject(new TypeError('sdpMid and sdpMLineIndex are both null'));
    }
    const s = this.#s;
    return this.#chain(() => addRemoteCandidate(s, init));
  }

  get signalingState(): RTCSignalingState {
    return this.#s.signalingState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#s.iceGatheringState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#s.iceConnectionState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#s.connectionState;
  }
  get canTrickleIceCandidates(): boolean | null {
    return this.#s.canTrickleIceCandidates;
  }

  restartIce(): void {
    const s = this.#s;
    s.localIceCredentialsToReplace.clear();
    for (const d of [s.currentLocalDescription, s.pendingLocalDescription]) {
      for (const section of d?.jsep.sections ?? []) {
        const ufrag = section.transport.iceUfrag;
        if (ufrag !== undefined) s.localIceCredentialsToReplace.add(ufrag);
      }
    }
    updateNegotiationNeeded(s);
  }

  getConfiguration(): Configuration {
    return copyConfiguration(this.#s.configuration);
  }

  setConfiguration(configuration: RTCConfiguration = {}): void {
    const s = this.#s;
    if (s.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    const { configuration: config, servers } = updateConfiguration(
      configuration,
      s.configuration,
      s.setLocalDescriptionCalled,
    );
    // Generated certificates are not part of the configuration the application gave.
    config.certificates = s.configuration.certificates;
    if (
      config.iceTransportPolicy !== s.configuration.iceTransportPolicy ||
      JSON.stringify(config.iceServers) !== JSON.stringify(s.configuration.iceServers)
    ) {
      s.iceConfigurationChanged = s.setLocalDescriptionCalled;
    }
    s.configuration = config;
    s.iceServers = servers;
    // A new pool size fills or drains the pool until the first description (§4.4.1.7).
    if (!s.setLocalDescriptionCalled) startCandidatePool(s);
  }

  close(): void {
    closeConnection(this.#s, false);
  }

  // RTP media API (§5.1).

  getSenders(): RTCRtpSender[] {
    return this.#s.transceivers
      .map(transceiverSlots)
      .filter((t) => !t.stopped)
      .map((t) => t.sender);
  }

  getReceivers(): RTCRtpReceiver[] {
    return this.#s.transceivers
      .map(transceiverSlots)
      .filter((t) => !t.stopped)
      .map((t) => t.receiver);
  }

  getTransceivers(): RTCRtpTransceiver[] {
    return [...this.#s.transceivers];
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    const s = this.#s;
    toInterface(track, MediaStreamTrack, "addTrack's track");
    for (const stream of streams) toInterface(stream, MediaStream, "addTrack's stream");
    const kind = track.kind as 'audio' | 'video';
    if (s.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    const senders = this.getSenders();
    if (senders.some((sender) => sender.track === track)) {
      throw domError('InvalidAccessError', 'A sender for this track already exists');
    }
    // An existing sender can be reused if it never sent and has no track.
    const reusable = senders.find((sender) => {
      const t = transceiverSlots(s.transceivers.find((x) => x.sender === sender)!);
      return sender.track === null && t.kind === kind && !t.stopping && !t.everSent;
    });
    if (reusable) {
      const slots = senderSlots(reusable);
      slots.senderTrack = track;
      slots.associatedMediaStreamIds = [...new Set(streams.map((x) => x.id))];
      const t = transceiverSlots(s.transceivers.find((x) => x.sender === reusable)!);
      t.addTrackUsed = true;
      if (t.direction === 'recvonly') t.direction = 'sendrecv';
      if (t.direction === 'inactive') t.direction = 'sendonly';
      updateNegotiationNeeded(s);
      return reusable;
    }
    const transceiver = this.#addTransceiver(kind, track, 'sendrecv', streams, undefined);
    const t = transceiverSlots(transceiver);
    t.addTrackCreated = true;
    t.addTrackUsed = true;
    updateNegotiationNeeded(s);
    return transceiver.sender;
  }

  removeTrack(sender: RTCRtpSender): void {
    const s = this.#s;
    toInterface(sender, RTCRtpSender, "removeTrack's sender");
    if (s.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    if (senderSlots(sender).link !== s.link) {
      throw domError('InvalidAccessError', 'The sender was not created by this connection');
    }
    const transceiver = s.transceivers.find((t) => t.sender === sender);
    if (!transceiver) return;
    const t = transceiverSlots(transceiver);
    if (t.stopping) return;
    if (!this.getSenders().includes(sender)) return;
    const slots = senderSlots(sender);
    if (slots.senderTrack === null) return;
    slots.senderTrack = null;
    if (t.direction === 'sendrecv') t.direction = 'recvonly';
    else if (t.direction === 'sendonly') t.direction = 'inactive';
    updateNegotiationNeeded(s);
  }

  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init: RTCRtpTransceiverInit = {},
  ): RTCRtpTransceiver {
    const s = this.#s;
    const dict = toDictionary(init, 'RTCRtpTransceiverInit');
    let kind: 'audio' | 'video';
    let track: MediaStreamTrack | null = null;
    if (trackOrKind instanceof MediaStreamTrack) {
      track = trackOrKind;
      kind = track.kind as 'audio' | 'video';
    } else {
      const k = toDOMString(trackOrKind);
      if (k !== 'audio' && k !== 'video') {
        throw new TypeError(`Failed to execute 'addTransceiver': '${k}' is not a valid kind.`);
      }
      kind = k;
    }
    const direction = toOptional(dict.direction, 'sendrecv', (v) =>
      toEnum(v, transceiverDirections, 'RTCRtpTransceiverDirection'),
    );
    if (direction === 'stopped')
      throw new TypeError("Failed to execute 'addTransceiver': direction cannot be 'stopped'.");
    const streams = toOptional(dict.streams, [], (v) =>
      toSequence(v, 'streams').map((x) => toInterface(x, MediaStream, 'a stream')),
    );
    const encodings = toOptional(dict.sendEncodings, [], (v) =>
      toSequence(v, 'sendEncodings').map((e) => toDictionary(e, 'RTCRtpEncodingParameters')),
    ) as RTCRtpEncodingParameters[];
    if (s.isClosed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
    const sendEncodings = validateSendEncodings(kind, encodings);
    const transceiver = this.#addTransceiver(kind, track, direction, streams, sendEncodings);
    updateNegotiationNeeded(s);
    return transceiver;
  }

  /** Creates a sender, a receiver and a transceiver and adds it to the set of transceivers. */
  #addTransceiver(
    kind: 'audio' | 'video',
    track: MediaStreamTrack | null,
    direction: Exclude<RTCRtpTransceiverDirection, 'stopped'>,
    streams: MediaStream[],
    sendEncodings: RTCRtpEncodingParameters[] | undefined,
  ): RTCRtpTransceiver {
    const s = this.#s;
    const transceiver = createTransceiver(
      s.link,
      kind,
      (view) => createSender(s.link, track, kind, streams, sendEncodings, view),
      createReceiver(s.link, kind),
      direction,
    );
    s.transceivers.push(transceiver);
    return transceiver;
  }

  // Peer-to-peer data API (§6.1).

  get sctp(): RTCSctpTransport | null {
    return this.#s.sctpTransport;
  }

  createDataChannel(label: string, dataChannelDict: RTCDataChannelInit = {}): RTCDataChannel {
    requireArguments(arguments.length, 1, "Failed to execute 'createDataChannel'");
    return createDataChannel(this.#s, label, dataChannelDict);
  }

  // Statistics (§8).

  getStats(selector: MediaStreamTrack | null = null): Promise<RTCStatsReport> {
    const s = this.#s;
    if (selector !== null && !(selector instanceof MediaStreamTrack)) {
      return Promise.reject(new TypeError('The selector is not a MediaStreamTrack'));
    }
    if (selector === null) return gatherStats(s, null);
    const matches: object[] = [];
    for (const transceiver of s.transceivers) {
      if (transceiver.sender.track === selector) matches.push(transceiver.sender);
      if (transceiver.receiver.track === selector) matches.push(transceiver.receiver);
    }
    if (matches.length !== 1) {
      return rejectDom('InvalidAccessError', 'The selector matches no single sender or receiver');
    }
    return gatherStats(s, matches[0]!);
  }

  get [Symbol.toStringTag](): string {
    return 'RTCPeerConnection';
  }
}

defineEventHandlers(RTCPeerConnection, [
  'negotiationneeded',
  'icecandidate',
  'icecandidateerror',
  'signalingstatechange',
  'iceconnectionstatechange',
  'icegatheringstatechange',
  'connectionstatechange',
  'track',
  'datachannel',
]);

/** The connection's slots, for the parts of the implementation that need them. */
export function peerConnectionSlots(pc: RTCPeerConnection): PeerConnectionSlots {
  return slotsOf(pc);
}

/** A random o= session id (RFC 9429 §5.2.1): 64 bits with the top one clear. */
function newSessionId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

/** The legacy callback forms: the callbacks get the outcome; the returned promise resolves. */
function legacy(p: Promise<unknown>, success: unknown, failure: unknown): Promise<void> {
  if (typeof success !== 'function' || typeof failure !== 'function') {
    return Promise.reject(new TypeError('The callbacks must be functions'));
  }
  p.then(
    (value) => (success as (v: unknown) => void)(value),
    (reason) => (failure as (r: unknown) => void)(reason),
  );
  return Promise.resolve();
}

function convertOfferOptions(value: unknown): RTCOfferOptions {
  const d = toDictionary(value, 'RTCOfferOptions');
  const options: RTCOfferOptions = { iceRestart: Boolean(d.iceRestart) };
  if (d.offerToReceiveAudio !== undefined)
    options.offerToReceiveAudio = Boolean(d.offerToReceiveAudio);
  if (d.offerToReceiveVideo !== undefined)
    options.offerToReceiveVideo = Boolean(d.offerToReceiveVideo);
  return options;
}

/** RTCSessionDescriptionInit (remote: type required) or RTCLocalSessionDescriptionInit. */
function convertDescription(
  value: unknown,
  remote: boolean,
): { type: RTCSdpType | undefined; sdp: string } {
  const d = toDictionary(
    value,
    remote ? 'RTCSessionDescriptionInit' : 'RTCLocalSessionDescriptionInit',
  );
  const sdp = d.sdp === undefined ? '' : toDOMString(d.sdp);
  const toType = (v: unknown) => toEnum(v, sdpTypes, 'RTCSdpType');
  if (remote) return { type: toRequired(d.type, toType, 'type'), sdp };
  return { type: toOptional(d.type, undefined, toType), sdp };
}

/**
 * RIDs as browsers accept them in sendEncodings: alphanumeric, at most 255 characters
 * (RFC 8852 §3.1 RtpStreamId; the WPT tests reject "foo-bar").
 */
const RID = /^[A-Za-z0-9]{1,255}$/;
/** The addTransceiver sendEncodings validation steps. */
function validateSendEncodings(
  kind: 'audio' | 'video',
  encodings: RTCRtpEncodingParameters[],
): RTCRtpEncodingParameters[] | undefined {
  if (encodings.length === 0) return undefined;
  const rids = encodings.map((e) => e.rid);
  if (
    rids.some((r) => r !== undefined && !RID.test(String(r))) ||
    (rids.some((r) => r !== undefined) && rids.some((r) => r === undefined)) ||
    new Set(rids.filter((r) => r !== undefined)).size !== rids.filter((r) => r !== undefined).length
  ) {
    throw new TypeError('sendEncodings rids are invalid, missing on some, or repeated');
  }
  const capabilities = RTCRtpSender.getCapabilities(kind)!.codecs;
  const list = encodings.map((e) => ({ active: true, ...e }));
  for (const e of list) {
    if (e.codec !== undefined && !capabilities.some((c) => sameCodec(c, e.codec!))) {
      throw domError('OperationError', 'An encoding names a codec we do not support');
    }
  }
  for (const e of list) {
    if (kind === 'audio') {
      delete e.scaleResolutionDownBy;
      delete e.maxFramerate;
    }
    if (e.scaleResolutionDownBy !== undefined && Number(e.scaleResolutionDownBy) < 1) {
      throw new RangeError('scaleResolutionDownBy must be at least 1');
    }
    if (e.maxFramerate !== undefined && !(Number(e.maxFramerate) >= 0)) {
      throw new RangeError('maxFramerate must not be negative');
    }
  }
  if (list.some((e) => e.scaleResolutionDownBy !== undefined)) {
    for (const e of list) e.scaleResolutionDownBy ??= 1;
  }
  const trimmed = list.slice(0, MAX_SEND_ENCODINGS[kind]);
  if (kind === 'video' && !trimmed.some((e) => e.scaleResolutionDownBy !== undefined)) {
    trimmed.forEach((e, i) => {
      e.scaleResolutionDownBy = 2 ** (trimmed.length - i - 1);
    });
  }
  if (trimmed.length === 1) delete trimmed[0]!.rid;
  return trimmed;
}

function sameCodec(
  a: { mimeType: string; clockRate: number },
  b: { mimeType: string; clockRate: number },
): boolean {
  return (
    String(a.mimeType).toLowerCase() === String(b.mimeType).toLowerCase() &&
    a.clockRate === b.clockRate
  );
}

/**
 * Whether [[LastCreatedOffer]] still describes the offerer's state: no transceiver,
 * data channel or direction change since it was made.
 */
function offerStillCurrent(s: PeerConnectionSlots): boolean {
  const layout = s.lastOfferLayout;
  if (!layout) return false;
  const live = s.transceivers.filter(
    (t) => !transceiverSlots(t).stopped && !transceiverSlots(t).stopping,
  );
  return (
    live.every((t) => layout.transceivers.has(t)) &&
    (layout.data !== undefined) === (s.dataChannelCreated || s.dataMid !== null)
  );
}

/**
 * setLocalDescription's "not equal to [[LastCreatedOffer]]" (or Answer), with one leniency
 * browsers have too: a=ice-options lines may be taken out. Libraries written for browsers
 * (simple-peer without trickle) remove a=ice-options:trickle before setting the description;
 * nothing else about it may differ.
 */
function sameAsCreated(sdp: string, created: string): boolean {
  if (sdp === created) return true;
  const withoutIceOptions = (text: string) => text.replace(/^a=ice-options:[^\r\n]*\r?\n/gm, '');
  return created !== '' && withoutIceOptions(sdp) === withoutIceOptions(created);
}
