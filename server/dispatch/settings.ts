// Dispatch settings: `dispatch.overdueScanSec` from the configuration file (or test overrides), or the environment
// variable CONSOLE_OVERDUE_SCAN_SEC, default 60 s; 0 turns the periodic scan off (tests call the scan themselves).
// Read here rather than in server/config.ts so the workflow can ship on its own; the key is documented in the README.
export interface DispatchSettings {
  overdueScanSec: number;
}

export function dispatchSettings(config: object, env: NodeJS.ProcessEnv = process.env): DispatchSettings {
  const fromConfig = (config as { dispatch?: { overdueScanSec?: unknown } }).dispatch?.overdueScanSec;
  const raw = env.CONSOLE_OVERDUE_SCAN_SEC ?? fromConfig ?? 60;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 86_400) {
    throw new Error(`Invalid configuration: dispatch.overdueScanSec must be a number of seconds from 0 to 86400, got "${String(raw)}"`);
  }
  return { overdueScanSec: value };
}
