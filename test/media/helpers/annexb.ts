// Splits a fixture's Annex-B elementary stream into access units, pairing them with the fixture's ffprobe packet
// list (pts in 90 kHz). Used to drive the packager without any RTSP in between.
import { readFileSync } from 'node:fs';

export interface FixtureUnit { pts: number; key: boolean; data: Uint8Array }

function nals(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = -1;
  for (let i = 0; i + 2 < buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      if (start >= 0) out.push(buf.subarray(start, i > 0 && buf[i - 1] === 0 ? i - 1 : i));
      start = i + 3;
      i += 2;
    }
  }
  if (start >= 0) out.push(buf.subarray(start));
  return out;
}

export function readFixture(name: string, codec: 'h264' | 'h265'): FixtureUnit[] {
  const dir = new URL('../../../scripts/simulator/fixtures/', import.meta.url);
  const es = new Uint8Array(readFileSync(new URL(`${name}.${codec}`, dir)));
  const meta = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as { packets: { pts: number; flags: string }[] };
  const aus: Uint8Array[][] = [];
  let cur: Uint8Array[] = [];
  let hasSlice = false;
  for (const n of nals(es)) {
    const type = codec === 'h264' ? n[0]! & 0x1f : (n[0]! >> 1) & 0x3f;
    const isSlice = codec === 'h264' ? type >= 1 && type <= 5 : type <= 21;
    const firstSlice = isSlice && (codec === 'h264' ? (n[1]! & 0x80) !== 0 : (n[2]! & 0x80) !== 0);
    const prefix = codec === 'h264' ? [6, 7, 8, 9].includes(type) : [32, 33, 34, 35, 39].includes(type);
    if (hasSlice && (prefix || firstSlice)) { aus.push(cur); cur = []; hasSlice = false; }
    cur.push(n);
    if (isSlice) hasSlice = true;
  }
  if (cur.length) aus.push(cur);
  if (aus.length !== meta.packets.length) throw new Error(`fixture ${name}: ${aus.length} AUs vs ${meta.packets.length} packets`);
  return aus.map((parts, i) => ({
    pts: meta.packets[i]!.pts,
    key: meta.packets[i]!.flags.startsWith('K'),
    data: Buffer.concat(parts.flatMap((p) => [Buffer.from([0, 0, 0, 1]), p])),
  }));
}
