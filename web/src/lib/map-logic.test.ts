import { describe, expect, it } from 'vitest';
import { distanceMetres } from '../../../server/domain/coords';
import { boxToStored, clampBox, clusterColor, clusterRadius, density, heatColor, percent, pointInPolygon, ringBox, toDisplay, toStored } from './map-logic';

describe('map logic', () => {
  it('colours a cluster by its online share and grows its radius with the log of its size, capped', () => {
    expect(clusterColor(10, 9)).toBe('#30a46c');
    expect(clusterColor(10, 5)).toBe('#f5a524');
    expect(clusterColor(10, 1)).not.toBe(clusterColor(10, 5));
    expect(clusterRadius(10)).toBeLessThan(clusterRadius(1000));
    expect(clusterRadius(100_074)).toBeLessThanOrEqual(30);
  });

  it('moves points and boxes between the stored WGS-84 and a GCJ-02 base map and back', () => {
    const p = { lng: 119.47, lat: 29.21 };
    expect(toDisplay(p, 'wgs84')).toBe(p);
    const shown = toDisplay(p, 'gcj02');
    expect(distanceMetres(p, shown)).toBeGreaterThan(100);
    expect(distanceMetres(p, toStored(shown, 'gcj02'))).toBeLessThan(0.01);
    const [w, s] = boxToStored([shown.lng, shown.lat, shown.lng + 0.1, shown.lat + 0.1], 'gcj02');
    expect(distanceMetres(p, { lng: w, lat: s })).toBeLessThan(0.01);
  });

  it('clamps a world view to valid degrees and formats a share', () => {
    expect(clampBox([-200, -95, 200, 95])).toEqual([-180, -90, 180, 90]);
    expect(percent(1, 3)).toBe('33%');
    expect(percent(0, 0)).toBe('—');
  });
});

describe('lasso and heat helpers', () => {
  const square = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
  const vee = [{ x: 0, y: 0 }, { x: 5, y: 8 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];

  it('tells inside from outside, also in the notch of a concave ring', () => {
    expect(pointInPolygon({ x: 5, y: 5 }, square)).toBe(true);
    expect(pointInPolygon({ x: 11, y: 5 }, square)).toBe(false);
    expect(pointInPolygon({ x: 5, y: 9 }, vee)).toBe(true);
    // Inside the box of the ring but in its notch: a box selection would take it, the lasso does not.
    expect(pointInPolygon({ x: 5, y: 3 }, vee)).toBe(false);
    expect(ringBox(vee)).toEqual([0, 0, 10, 10]);
  });

  it('spreads weighted points with a kernel that peaks at the point and vanishes at the radius', () => {
    const { grid, cols, rows, max } = density([{ x: 50, y: 50, w: 1 }, { x: 52, y: 50, w: 3 }], 100, 100, 20, 4);
    expect([cols, rows]).toEqual([25, 25]);
    const at = (x: number, y: number) => grid[Math.floor(y / 4) * cols + Math.floor(x / 4)];
    expect(at(51, 51)).toBe(max);
    expect(at(51, 51)).toBeGreaterThan(at(60, 51));
    expect(at(90, 90)).toBe(0);
    // Weights add: the heavier point alone makes three quarters of the peak.
    const single = density([{ x: 52, y: 50, w: 3 }], 100, 100, 20, 4);
    expect(single.max / max).toBeGreaterThan(0.7);
    expect(heatColor(0)[3]).toBe(0);
    expect(heatColor(1)[0]).toBeGreaterThan(heatColor(1)[1]);
  });
});
