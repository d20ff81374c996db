export { RecordingStore, removeFile, type RecordingStoreOptions, type StreamRecordingState } from './store';
export { recoverStore, type RecoveryReport } from './recover';
export { vodPlaylist, spansOf, dedupe, fileUri, GAP_MS, type PlayableSegment, type Span } from './playlist';
export type { RecordingIndex, StreamKey } from './types';
export { Janitor, type JanitorOptions, type SweepResult } from './janitor';
export { Recorder, type RecorderSettings, type CameraRecordingState } from './recorder';
