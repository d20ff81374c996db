import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the defaults and applies environment overrides with their types', () => {
    const config = loadConfig({ env: { CONSOLE_PORT: '9090', CONSOLE_DEMO: 'false', CONSOLE_RELAY_IDLE_SEC: '45' } });
    expect(config.port).toBe(9090);
    expect(config.demo.enabled).toBe(false);
    expect(config.media.idleTimeoutSec).toBe(45);
    expect(loadConfig({ env: { CONSOLE_OVERDUE_SCAN_SEC: '0' } }).dispatch.overdueScanSec).toBe(0);
    expect(config.networks.map((n) => n.key)).toEqual(['skynet', 'xueliang', 'huiyan', 'traffic', 'city-management']);
  });

  it('names the environment variable that is not a number or boolean', () => {
    expect(errorOf(() => loadConfig({ env: { CONSOLE_PORT: 'eighty' } })).field).toBe('CONSOLE_PORT');
    expect(errorOf(() => loadConfig({ env: { CONSOLE_DEMO: 'maybe' } })).field).toBe('CONSOLE_DEMO');
    expect(errorOf(() => loadConfig({ env: { CONSOLE_OVERDUE_SCAN_SEC: 'soon' } })).field).toBe('CONSOLE_OVERDUE_SCAN_SEC');
  });

  it('names the field that fails validation', () => {
    expect(errorOf(() => loadConfig({ env: {}, overrides: { port: 70000 } })).field).toBe('port');
    const badColour = errorOf(() =>
      loadConfig({ env: {}, overrides: { networks: [{ key: 'skynet', name: '天网', nameEn: 'Skynet', color: 'red' }] } }),
    );
    expect(badColour.field).toBe('networks.0.color');
    expect(badColour.message).toContain('networks.0.color');
    expect(errorOf(() => loadConfig({ env: {}, overrides: { media: { segmentFormat: 'avi' } } })).field).toBe('media.segmentFormat');
  });

  it('names a config file that cannot be read', () => {
    const err = errorOf(() => loadConfig({ env: { CONSOLE_CONFIG: '/nonexistent/console.json' } }));
    expect(err.field).toBe('/nonexistent/console.json');
  });
});
