// Coordinate conversion (server/domain/coords.ts): round trips within 1 m over mainland China, known offsets, and
// the identity outside it. fast-check draws points so an edge of the GCJ-02 polynomial cannot hide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02, bd09ToWgs84, convert, COORD_SYSTEMS, distanceMetres, gcj02ToBd09, gcj02ToWgs84, parseCoordSystem, wgs84ToBd09, wgs84ToGcj02,
} from '../../server/domain/coords';

const china = fc.record({
  lng: fc.double({ min: 73.5, max: 134.7, noNaN: true }),
  lat: fc.double({ min: 18.2, max: 53.5, noNaN: true }),
});

describe('coordinate systems', () => {
  it('WGS-84 → GCJ-02 moves a point in the demo county by a few hundred metres (the known offset)', () => {
    const wgs = { lng: 119.47, lat: 29.21 };
    const gcj = wgs84ToGcj02(wgs);
    const d = distanceMetres(wgs, gcj);
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(800);
    // BD-09 lies a further ~1 km off GCJ-02 (its constant 0.0065/0.006 shift).
    expect(distanceMetres(gcj, gcj02ToBd09(gcj))).toBeGreaterThan(500);
  });

  it('a reference point keeps its value (Beijing, Tiananmen: the GCJ-02 shift is ~600 m to the north-east)', () => {
    // Pinned so that a refactor of the polynomial cannot drift unnoticed: round trips alone would not catch a
    // change made to both directions.
    const gcj = wgs84ToGcj02({ lng: 116.397428, lat: 39.90923 });
    expect(gcj.lng).toBeCloseTo(116.40367, 3);
    expect(gcj.lat).toBeCloseTo(39.91064, 3);
  });

  it('round trips within 1 m for every pair of systems', () => {
    fc.assert(fc.property(china, fc.constantFrom(...COORD_SYSTEMS), fc.constantFrom(...COORD_SYSTEMS), (p, a, b) => {
      const back = convert(convert(p, a, b), b, a);
      expect(distanceMetres(p, back)).toBeLessThan(1);
    }), { numRuns: 2000 });
  });

  it('the inverses are exact to centimetres (not the ~1 m of the one-step formulas)', () => {
    fc.assert(fc.property(china, (p) => {
      expect(distanceMetres(p, gcj02ToWgs84(wgs84ToGcj02(p)))).toBeLessThan(0.01);
      expect(distanceMetres(p, bd09ToGcj02(gcj02ToBd09(p)))).toBeLessThan(0.01);
      expect(distanceMetres(p, bd09ToWgs84(wgs84ToBd09(p)))).toBeLessThan(0.02);
    }), { numRuns: 1000 });
  });

  it('outside mainland China GCJ-02 is WGS-84 (as every public implementation has it)', () => {
    const tokyo = { lng: 139.69, lat: 35.69 };
    expect(wgs84ToGcj02(tokyo)).toEqual(tokyo);
    expect(gcj02ToWgs84(tokyo)).toEqual(tokyo);
  });

  it('reads the spellings platforms export', () => {
    expect(parseCoordSystem('WGS-84')).toBe('wgs84');
    expect(parseCoordSystem('GCJ02')).toBe('gcj02');
    expect(parseCoordSystem('火星')).toBe('gcj02');
    expect(parseCoordSystem('BD09')).toBe('bd09');
    expect(parseCoordSystem('百度')).toBe('bd09');
    expect(parseCoordSystem('mercator')).toBeUndefined();
  });
});
