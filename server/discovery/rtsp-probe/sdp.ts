// What a DESCRIBE's SDP says about the streams: per media section the encoding, clock, channels, frame rate and
// the parameter sets cameras put in fmtp (RFC 6184 sprop-parameter-sets for H.264, RFC 7798 sprop-sps for H.265).

export interface SdpMedia {
  type: string;
  encoding: string;
  clockRate: number | null;
  channels: number | null;
  fmtp: Record<string, string>;
  framerate: number | null;
}

/**
 * A number the camera wrote, or null when it is absent, not a number or absurd: "a=framerate:1e309" is Infinity,
 * which no JSON answer can carry (the probe route failed with a 500 on it, found by test/security/malformed-devices).
 */
function bounded(text: string | undefined, min: number, max: number, integer: boolean): number | null {
  const n = text === undefined ? NaN : Number(text.trim());
  return Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n)) ? n : null;
}

export function parseSdp(sdp: string): SdpMedia[] {
  const media: SdpMedia[] = [];
  let cur: (SdpMedia & { pt: string }) | undefined;
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      const [type, , , pt] = line.slice(2).split(/\s+/);
      cur = { type, pt: pt ?? '', encoding: '', clockRate: null, channels: null, fmtp: {}, framerate: null };
      media.push(cur);
      continue;
    }
    if (!cur || !line.startsWith('a=')) continue;
    const attr = line.slice(2);
    const colon = attr.indexOf(':');
    const name = colon < 0 ? attr : attr.slice(0, colon);
    const value = colon < 0 ? '' : attr.slice(colon + 1);
    if (name === 'rtpmap') {
      const [pt, spec] = value.split(/\s+/, 2);
      if (pt !== cur.pt || !spec) continue;
      const [encoding, clock, channels] = spec.split('/');
      cur.encoding = encoding.toUpperCase();
      cur.clockRate = bounded(clock, 1, 10_000_000, true);
      cur.channels = bounded(channels, 1, 255, true);
    } else if (name === 'fmtp') {
      const space = value.indexOf(' ');
      if (value.slice(0, space) !== cur.pt) continue;
      for (const part of value.slice(space + 1).split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) cur.fmtp[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
      }
    } else if (name === 'framerate') {
      cur.framerate = bounded(value, 0.001, 1000, false);
    }
  }
  // Static payload types carry no rtpmap (RFC 3551): 0 = PCMU, 8 = PCMA, 26 = JPEG.
  for (const m of media as Array<SdpMedia & { pt?: string }>) {
    if (m.encoding) continue;
    const fixed: Record<string, [string, number]> = { '0': ['PCMU', 8000], '8': ['PCMA', 8000], '26': ['JPEG', 90000] };
    const f = m.pt ? fixed[m.pt] : undefined;
    if (f) [m.encoding, m.clockRate] = f;
  }
  return media.map(({ type, encoding, clockRate, channels, fmtp, framerate }) => ({ type, encoding, clockRate, channels, fmtp, framerate }));
}
