export { RelayManager, type RelayManagerOptions, type RelayStatusEvent, type RelayHostInfo } from './relay-manager';
export type { RelayStats, RelayState } from './relay';
export { RelayLimitError, CameraUnavailableError } from './errors';
export type { StreamSource, UnavailableReason } from './types';
