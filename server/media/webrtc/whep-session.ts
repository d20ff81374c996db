// One WHEP viewer: a werift RTCPeerConnection that sends one H.264 video track, fed with the relay's access units
// (no second pull from the camera). ICE: host candidates only — no STUN or TURN server is ever contacted (werift
// would otherwise ask a public STUN server), UDP over IPv4, bound to the configured address.
import { randomBytes, randomUUID } from 'node:crypto';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import type { TappedUnit } from '../host/protocol';
import { H264Packetizer, rtpPacket, rtpTimestamp } from './rtp-h264';

export interface IceOptions {
  /** IPv4 address the UDP socket binds to; empty: every interface. */
  bindAddress: string;
  /** An extra host candidate to announce (the address browsers reach); empty: none. */
  announceAddress: string;
}

/** H.264 profiles we answer with: browsers offer several and werift keeps only exact profile-level-id matches.
 * The decoder follows the SPS in band whatever was negotiated (level-asymmetry-allowed), so any match plays. */
const PROFILES = ['42e01f', '42001f', '4d001f', '640c1f', '64001f'];
/** The dynamic payload type werift falls back to when the offer does not pin one. */
const BASE_PT = 102;

/** Candidate lines we never act on: mDNS names (`….local`) would make werift send multicast queries to resolve
 * them. The browser still reaches our host candidate, and its address is then learnt from its checks. */
export function withoutMdnsCandidates(sdp: string): string {
  return sdp.split(/\r?\n/).filter((line) => !(/^a=candidate:/.test(line) && /\s[^\s]+\.local\s/i.test(line))).join('\r\n');
}

export class WhepSession {
  readonly id = randomUUID();
  readonly createdAt = Date.now();
  private readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'video' });
  private readonly packetizer = new H264Packetizer();
  private seq = randomBytes(2).readUInt16BE(0);
  private readonly ssrc = randomBytes(4).readUInt32BE(0);
  private readonly tsBase = randomBytes(4).readUInt32BE(0);
  private started = false;
  private closed = false;
  /** When the viewer last sent RTCP (receiver reports, about every second from browsers): its sign of life. */
  private lastRtcpAt = Date.now();
  /** Pictures sent (for stats and tests). */
  frames = 0;
  onClose: (() => void) | null = null;

  constructor(ice: IceOptions) {
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      iceUseTcp: false,
      iceInterfaceAddresses: ice.bindAddress ? { udp4: ice.bindAddress } : undefined,
      // Loopback is not gathered by default; a loopback bind (tests, a single-machine console) must announce it.
      iceAdditionalHostAddresses: [ice.bindAddress, ice.announceAddress].filter((a) => a && a !== '0.0.0.0'),
      codecs: {
        video: PROFILES.map((p, i) => new RTCRtpCodecParameters({
          mimeType: 'video/H264', clockRate: 90_000, payloadType: BASE_PT + i,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          parameters: `level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=${p}`,
        })),
        audio: [],
      },
    });
    const transceiver = this.pc.addTransceiver(this.track, { direction: 'sendonly' });
    transceiver.sender.onRtcp.subscribe(() => { this.lastRtcpAt = Date.now(); });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed' || state === 'disconnected') void this.close();
    });
  }

  /** Answer the viewer's offer; resolves with the complete answer SDP (all candidates gathered: WHEP has no
   * trickle here, and host-only gathering takes milliseconds). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: withoutMdnsCandidates(offerSdp) });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') { unSubscribe(); resolve(); }
        });
      });
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return sdp;
  }

  /** One access unit from the relay. Nothing is sent before the connection is up (DTLS done: earlier packets cannot
   * be protected and are lost) and then a key picture arrives: a decoder could not use anything else. */
  feed(unit: TappedUnit): void {
    if (this.closed) return;
    if (!this.started) {
      if (!unit.key || this.pc.connectionState !== 'connected') return;
      this.started = true;
      // Counted from the first picture: a viewer has nothing to report before (the connect timeout covers that).
      this.lastRtcpAt = Date.now();
    }
    const ts = rtpTimestamp(unit.pts, this.tsBase);
    for (const p of this.packetizer.packetize(unit.data)) {
      this.track.writeRtp(rtpPacket(BASE_PT, this.seq, ts, this.ssrc, p.marker, p.payload));
      this.seq = (this.seq + 1) & 0xffff;
    }
    this.frames++;
  }

  get connectionState(): string { return this.pc.connectionState; }

  /** Milliseconds since the viewer's last RTCP: a viewer that vanished without DELETE (tab closed, machine off)
   * stops reporting long before ICE notices, and must not hold a place under the cap. */
  silentForMs(now = Date.now()): number { return this.started ? now - this.lastRtcpAt : 0; }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.();
    await this.pc.close().catch(() => {});
  }
}
