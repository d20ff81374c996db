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
    expect(config.networks.map((n) => n.key)).toEqual(['skynet', 'xueliang', 'huiyan', 'traffic', 'city-management', 'mobile']);
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

  it('reads trustProxy as a switch or a list of proxy addresses, and refuses anything else', () => {
    expect(loadConfig({ env: {} }).trustProxy).toBe(false);
    expect(loadConfig({ env: { CONSOLE_TRUST_PROXY: 'true' } }).trustProxy).toBe(true);
    expect(loadConfig({ env: { CONSOLE_TRUST_PROXY: '127.0.0.1, 10.20.0.0/16,::1' } }).trustProxy).toBe('127.0.0.1, 10.20.0.0/16,::1');
    for (const bad of ['proxy.example', '10.0.0.0/40', '10.0.0.1/x', '']) {
      const err = errorOf(() => loadConfig({ env: {}, overrides: { trustProxy: bad } }));
      expect(err.field, bad).toBe('trustProxy');
    }
  });

  it('has the daily backup off by default and validates its settings by name', () => {
    expect(loadConfig({ env: {} }).backup).toEqual({ enabled: false, dir: '', keep: 7, time: '02:30' });
    const on = loadConfig({ env: { CONSOLE_BACKUP: 'on', CONSOLE_BACKUP_DIR: '/srv/backups', CONSOLE_BACKUP_KEEP: '30', CONSOLE_BACKUP_TIME: '23:05' } });
    expect(on.backup).toEqual({ enabled: true, dir: '/srv/backups', keep: 30, time: '23:05' });
    expect(errorOf(() => loadConfig({ env: { CONSOLE_BACKUP_TIME: '24:00' } })).field).toBe('backup.time');
    expect(errorOf(() => loadConfig({ env: { CONSOLE_BACKUP_TIME: '2:30' } })).field).toBe('backup.time');
    expect(errorOf(() => loadConfig({ env: { CONSOLE_BACKUP_KEEP: '0' } })).field).toBe('backup.keep');
    expect(errorOf(() => loadConfig({ env: { CONSOLE_BACKUP_KEEP: 'all' } })).field).toBe('CONSOLE_BACKUP_KEEP');
  });

  it('accepts the production example as it ships (config/production.example.json)', () => {
    const config = loadConfig({ env: { CONSOLE_CONFIG: 'config/production.example.json' } });
    expect(config).toMatchObject({ demo: { enabled: false }, session: { secureCookie: true }, trustProxy: '127.0.0.1', backup: { enabled: true, keep: 14 } });
  });

  it('accepts the cluster example as it ships (config/cluster.example.json)', () => {
    const config = loadConfig({ env: { CONSOLE_CONFIG: 'config/cluster.example.json' } });
    expect(config).toMatchObject({
      database: expect.stringMatching(/^postgres:\/\//), trustProxy: '10.20.0.10', demo: { enabled: false },
      cluster: { nodeId: 'gw-a', advertiseUrl: 'http://10.20.0.11:8080', secret: expect.any(String) },
    });
    expect(config.cluster.secret.length).toBeGreaterThanOrEqual(32);
  });
});
