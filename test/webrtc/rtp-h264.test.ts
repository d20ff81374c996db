// The H.264 RTP packetizer (RFC 6184) on hand-made access units: single NAL packets, FU-A fragments that
// reassemble to the original NAL unit, AUDs dropped, SPS/PPS put in front of a key picture that lacks them.
import { describe, expect, it } from 'vitest';
import { H264Packetizer, rtpPacket, rtpTimestamp, splitAnnexB } from '../../server/media/webrtc/rtp-h264';

const sc = [0, 0, 0, 1];
const nal = (type: number, size: number, fill = 0xab) => [0x60 | type, ...new Array(size - 1).fill(fill)];
const au = (...nals: number[][]) => new Uint8Array(nals.flatMap((n) => [...sc, ...n]));

describe('H.264 RTP packetizer', () => {
  it('splits Annex-B with 3- and 4-byte start codes', () => {
    const data = new Uint8Array([0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5]);
    expect(splitAnnexB(data).map((n) => [...n])).toEqual([[0x67, 1, 2], [0x68, 3], [0x65, 4, 5]]);
  });

  it('sends small NAL units whole, drops AUDs, marks the last packet', () => {
    const p = new H264Packetizer(100);
    const out = p.packetize(au([0x09, 0xf0], nal(7, 10), nal(8, 4), nal(5, 50)));
    expect(out.map((o) => o.payload[0]! & 0x1f)).toEqual([7, 8, 5]);
    expect(out.map((o) => o.marker)).toEqual([false, false, true]);
  });

  it('fragments a large NAL unit as FU-A that reassembles byte for byte', () => {
    const p = new H264Packetizer(100);
    const big = nal(1, 450).map((b, i) => (i === 0 ? b : i & 0xff));
    const out = p.packetize(au(big));
    expect(out.length).toBe(Math.ceil(449 / 98));
    expect(out.every((o) => o.payload.length <= 100)).toBe(true);
    expect(out.every((o) => (o.payload[0]! & 0x1f) === 28 && (o.payload[0]! & 0xe0) === (big[0]! & 0xe0))).toBe(true);
    expect(out[0]!.payload[1]! & 0x80).toBe(0x80);
    expect(out.at(-1)!.payload[1]! & 0x40).toBe(0x40);
    expect(out.slice(1, -1).every((o) => (o.payload[1]! & 0xc0) === 0)).toBe(true);
    const body = out.flatMap((o) => [...o.payload.subarray(2)]);
    expect([(out[0]!.payload[0]! & 0xe0) | (out[0]!.payload[1]! & 0x1f), ...body]).toEqual(big);
    expect(out.map((o) => o.marker)).toEqual(out.map((_, i) => i === out.length - 1));
  });

  it('puts the last SPS/PPS in front of a key picture sent without them', () => {
    const p = new H264Packetizer();
    p.packetize(au(nal(7, 8, 1), nal(8, 4, 2), nal(5, 20)));
    const out = p.packetize(au(nal(5, 20)));
    expect(out.map((o) => o.payload[0]! & 0x1f)).toEqual([7, 8, 5]);
    expect(out[0]!.payload[1]).toBe(1);
    expect(p.packetize(au(nal(1, 20))).map((o) => o.payload[0]! & 0x1f)).toEqual([1]);
  });

  it('writes an RTP header and 90 kHz timestamps that wrap', () => {
    const b = rtpPacket(102, 0x1_0005, 0x1234_5678, 0xdead_beef, true, new Uint8Array([9]));
    expect([...b.subarray(0, 4)]).toEqual([0x80, 0x80 | 102, 0, 5]);
    expect(b.readUInt32BE(4)).toBe(0x1234_5678);
    expect(b.readUInt32BE(8)).toBe(0xdead_beef);
    expect(rtpTimestamp(1, 0xffff_ffff)).toBe(89_999);
  });
});
