import { describe, expect, it } from 'vitest';
import { codecName, formatBitrate, formatLatency, liveLatency, techLine } from './live-info';

describe('live info', () => {
  it('names codecs', () => {
    expect(codecName('avc1.64001f')).toBe('H.264');
    expect(codecName('hvc1.1.6.L93.90')).toBe('H.265');
    expect(codecName('vp9')).toBe('vp9');
    expect(codecName(null)).toBeNull();
  });

  it('prefers hls.js latency and falls back to the live edge distance', () => {
    expect(liveLatency(2.5, 100, 90)).toBe(2.5);
    expect(liveLatency(0, 100, 98.2)).toBeCloseTo(1.8);
    expect(liveLatency(undefined, null, 3)).toBeNull();
    expect(formatLatency(1.84)).toBe('1.8 s');
  });

  it('formats the tile line and bitrates', () => {
    expect(techLine({ codec: 'avc1.4d401f', width: 1280, height: 720, fps: 25 })).toBe('H.264 · 1280×720 · 25 fps');
    expect(techLine({ codec: 'h265', width: null, height: null })).toBe('H.265');
    expect(techLine({})).toBe('');
    expect(formatBitrate(2_300_000)).toBe('2.3 Mb/s');
    expect(formatBitrate(640_000)).toBe('640 kb/s');
    expect(formatBitrate(0)).toBeNull();
  });
});
