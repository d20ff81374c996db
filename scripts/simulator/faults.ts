// Faults a real county network shows, switchable at runtime on any camera (setFault, or the fleet's control port).
import { RTP_VARIANTS, RTSP_VARIANTS, type RtpVariant, type RtspVariant, SDP_VARIANTS, type SdpVariant } from './malformed';

export type Fault =
  | { kind: 'none' }
  /** Refuses connections: listeners closed, open sockets destroyed, no WS-Discovery answers. */
  | { kind: 'offline' }
  /** Online for periodSec seconds, then offline for periodSec/2 seconds, and again. */
  | { kind: 'flapping'; periodSec: number }
  /** RTP stops, TCP and RTSP stay up (a frozen encoder). */
  | { kind: 'stall' }
  /** Every credential is refused: RTSP/HTTP 401, ONVIF NotAuthorized. */
  | { kind: 'wrong-password' }
  /** ONVIF answers 200 with bytes that are not XML. */
  | { kind: 'garbage-soap' }
  /** Every RTSP and ONVIF response is delayed by delayMs. */
  | { kind: 'slow'; delayMs: number }
  /** Audio is announced in the SDP but no audio RTP is ever sent (an AAC track is announced if the fixture has none). */
  | { kind: 'silent-audio' }
  /** After afterSec seconds of playing, a session's video switches to the same codec at another resolution. */
  | { kind: 'sps-change'; afterSec: number }
  /** DESCRIBE answers 200 with a broken SDP: garbage, no m= lines, or absurd fmtp values (malformed.ts). */
  | { kind: 'bad-sdp'; variant: SdpVariant }
  /** Every RTSP response is malformed: bad status line, no CSeq, a 1 MiB header, or cut in half then closed. */
  | { kind: 'bad-rtsp'; variant: RtspVariant }
  /** RTP packets are broken: version 1, padding/extension lengths past the end, 5 bytes, 64 KiB, FU-A without start. */
  | { kind: 'bad-rtp'; variant: RtpVariant };

export const NO_FAULT: Fault = { kind: 'none' };

const KINDS = ['none', 'offline', 'flapping', 'stall', 'wrong-password', 'garbage-soap', 'slow', 'silent-audio', 'sps-change', 'bad-sdp', 'bad-rtsp', 'bad-rtp'];

/** Validates a Fault received as JSON (control endpoint); throws with a readable message. */
export function parseFault(value: unknown): Fault {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || typeof v.kind !== 'string' || !KINDS.includes(v.kind)) {
    throw new Error(`fault.kind must be one of ${KINDS.join(', ')}`);
  }
  const num = (key: string, min: number, max: number): number => {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
      throw new Error(`fault.${key} must be a number in [${min}, ${max}]`);
    }
    return n;
  };
  const oneOf = <T extends string>(allowed: readonly T[]): T => {
    if (!allowed.includes(v.variant as T)) throw new Error(`fault.variant must be one of ${allowed.join(', ')}`);
    return v.variant as T;
  };
  switch (v.kind) {
    case 'flapping': return { kind: 'flapping', periodSec: num('periodSec', 0.2, 86_400) };
    case 'slow': return { kind: 'slow', delayMs: num('delayMs', 0, 600_000) };
    case 'sps-change': return { kind: 'sps-change', afterSec: num('afterSec', 0, 86_400) };
    case 'bad-sdp': return { kind: 'bad-sdp', variant: oneOf(SDP_VARIANTS) };
    case 'bad-rtsp': return { kind: 'bad-rtsp', variant: oneOf(RTSP_VARIANTS) };
    case 'bad-rtp': return { kind: 'bad-rtp', variant: oneOf(RTP_VARIANTS) };
    default: return { kind: v.kind } as Fault;
  }
}
