// Public API of the camera simulator, for tests, benchmarks and the fleet CLI (the demo only runs the CLI as a
// process). The camera plan lives in server/demo/ because the demo seed needs it too; re-exported so that a test
// has one import for a camera and its addresses.
export * from '../../server/demo/camera-plan';
export type { Fault } from './faults';
export { parseFault } from './faults';
export type { SimCamera, CameraOptions, CameraStats } from './camera';
export { startCamera } from './camera';
export type { Fleet, FleetOptions } from './fleet';
export { startFleet } from './fleet';
export { rtpCounters } from './clock';
// For tests that want to know what a fixture really contains (codec, size, fps, audio).
export { loadFixture } from './fixtures';
export type { Fixture, VideoTrack, AudioTrack } from './fixtures';
export type { Pusher, PusherOptions } from './pusher';
export { startPusher } from './pusher';
