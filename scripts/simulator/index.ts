// Public API of the camera simulator: the server's demo mode and the relay tests import exactly this.
export * from './plan';
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
