import { describe, expect, it } from 'vitest';
import { distanceMetres } from '../../../server/domain/coords';
import { boxToStored, clampBox, clusterColor, clusterRadius, percent, toDisplay, toStored } from './map-logic';

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
