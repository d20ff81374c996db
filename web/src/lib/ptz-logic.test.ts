import { describe, expect, it } from 'vitest';
import { combine, dragVelocity, keyDirection, velocityOf } from './ptz-logic';

describe('PTZ pad logic', () => {
  it('maps keys to directions', () => {
    expect(keyDirection('ArrowLeft')).toBe('left');
    expect(keyDirection('+')).toBe('zoom-in');
    expect(keyDirection('=')).toBe('zoom-in');
    expect(keyDirection('-')).toBe('zoom-out');
    expect(keyDirection('a')).toBeUndefined();
  });
  it('scales by speed and combines held keys into diagonals, clamped', () => {
    expect(velocityOf('up-right', 0.5)).toEqual({ pan: 0.5, tilt: 0.5, zoom: 0 });
    expect(velocityOf('left', 0)).toEqual({ pan: -0.1, tilt: 0, zoom: 0 });
    expect(combine(['up', 'left'], 1)).toEqual({ pan: -1, tilt: 1, zoom: 0 });
    expect(combine(['left', 'right'], 1)).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    expect(combine(['up', 'up-left'], 1)).toEqual({ pan: -1, tilt: 1, zoom: 0 });
  });
  it('turns a drag into a velocity with a dead zone; screen up is tilt up', () => {
    expect(dragVelocity(2, 2, 400, 300, 1)).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    expect(dragVelocity(100, 0, 400, 300, 1)).toEqual({ pan: 1, tilt: 0, zoom: 0 });
    expect(dragVelocity(-50, -75, 400, 300, 1)).toEqual({ pan: -0.5, tilt: 1, zoom: 0 });
    expect(dragVelocity(400, 0, 400, 300, 0.5)).toEqual({ pan: 0.5, tilt: 0, zoom: 0 });
  });
});
