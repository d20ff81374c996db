// The map's configuration: an XYZ base map needs a usable template, and the page's CSP admits its origin only.
import { describe, expect, it } from 'vitest';
import { tileSources } from '../../server/app';
import { ConfigError, loadConfig } from '../../server/config';

const base = { baseMap: 'xyz' as const, pmtilesPath: '', coordSystem: 'gcj02' as const, maxZoom: 18, attribution: '' };

describe('map config', () => {
  it('defaults to no base map (nothing outside the gateway)', () => {
    expect(loadConfig({ env: {} }).map).toMatchObject({ baseMap: 'none', tileUrl: '', coordSystem: 'wgs84' });
    expect(tileSources(loadConfig({ env: {} }).map)).toEqual([]);
  });

  it('an XYZ base map needs an http(s) template with {z}, {x} and {y}', () => {
    const ok = loadConfig({ env: { CONSOLE_MAP_BASE: 'xyz', CONSOLE_MAP_TILE_URL: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png' } });
    expect(ok.map.baseMap).toBe('xyz');
    for (const bad of ['', 'ftp://x/{z}/{x}/{y}', 'http://x/{z}/{x}.png']) {
      let err: unknown;
      try {
        loadConfig({ env: { CONSOLE_MAP_BASE: 'xyz', CONSOLE_MAP_TILE_URL: bad } });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe('map.tileUrl');
    }
  });

  it('the CSP admits the tile server origin only ({s} as a wildcard subdomain)', () => {
    expect(tileSources({ ...base, tileUrl: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png' })).toEqual(['http://10.1.2.3:8080']);
    expect(tileSources({ ...base, tileUrl: 'https://{s}.tianditu.lan/vec_w/{z}/{x}/{y}' })).toEqual(['https://*.tianditu.lan']);
  });
});
