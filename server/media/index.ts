export { CameraRelays, DEVICE_RELAY_BASE, isDeviceRelay, relayIdOf, streamOfRelay, type CameraRelayStats, type CameraStatusEvent, type CameraStream, type StreamKind } from './camera-relays';
export { RelayManager, type RelayManagerOptions, type RelayStatusEvent, type RelayHostInfo } from './relay-manager';
export type { RelayStats, RelayState } from './relay';
export { RelayLimitError, CameraUnavailableError, SnapshotError } from './errors';
export type { BlockUntil, LatestSegment } from './live-window';
export type { RelayId, StreamSource, UnavailableReason } from './types';
export { TranscodeManager, TranscodeLimitError, TranscodeUnavailableError, type TranscodeStats } from './transcode/manager';
