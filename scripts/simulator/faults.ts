// Faults a real county network shows, switchable at runtime on any camera (setFault, or the fleet's control port).

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
  | { kind: 'sps-change'; afterSec: number };

export const NO_FAULT: Fault = { kind: 'none' };

const KINDS = ['none', 'offline', 'flapping', 'stall', 'wrong-password', 'garbage-soap', 'slow', 'silent-audio', 'sps-change'];

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
  switch (v.kind) {
    case 'flapping': return { kind: 'flapping', periodSec: num('periodSec', 0.2, 86_400) };
    case 'slow': return { kind: 'slow', delayMs: num('delayMs', 0, 600_000) };
    case 'sps-change': return { kind: 'sps-change', afterSec: num('afterSec', 0, 86_400) };
    default: return { kind: v.kind } as Fault;
  }
}
