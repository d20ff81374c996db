// Where each demo camera's simulated device lives and what it plays, derived only from its county index, so the
// seed (which stores stream URLs and credentials) and the running simulator fleet always agree. It is here, not
// in scripts/simulator/, because the product's demo seed needs it and server/ never imports from scripts/; the
// simulator imports it from here.
import type { CameraSeed } from './county';

export type FixtureName = 'h264' | 'h264-bframes' | 'h265' | 'h264-aac' | 'h264-pcma' | 'h264-sub' | 'h264-gop2' | 'h265-pcma' | 'latency-probe';

export interface SimCameraSpec {
  /** Stable id, also the camera's ONVIF serial and WS-Discovery endpoint suffix. */
  id: string;
  index: number;
  name: string;
  network: string;
  orgUnitCode: string;
  /** Loopback address of its own: 127.0.1.1, 127.0.1.2, ... (the whole 127/8 routes to lo on Linux). */
  host: string;
  rtspPort: number;
  onvifPort: number;
  fixture: FixtureName;
  /** What the sub-stream (子码流, RTSP `/stream2`, ONVIF `Profile_2`) plays, see `simSubFixture`. */
  subFixture: FixtureName;
  username: string;
  password: string;
  /** Advertises the ONVIF PTZ service (from the county seed; absent means no PTZ). */
  ptz?: boolean;
}

export const SIM_RTSP_PORT = 8554;
export const SIM_ONVIF_PORT = 8000;

/**
 * `net` is the second octet: 0 for the demo console, another value for a test run, so that a demo console running
 * on the same machine never holds the addresses a test needs.
 */
export function simHost(index: number, net = 0): string {
  return `127.${net}.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** Mostly plain H.264 (what every browser plays); a few of each harder kind, as in a real county. */
export function simFixture(index: number): FixtureName {
  if (index % 50 === 15) return 'h265';
  switch (index % 25) {
    case 5: return 'h264-aac';
    case 10: return 'h264-bframes';
    case 20: return 'h264-pcma';
    default: return 'h264';
  }
}

/**
 * The sub-stream: the 720p default camera gets the 640x360 `h264-sub`. The others already stream 640x360, so
 * their sub-stream is their own fixture, as a camera whose second profile is set to the same size (their codec,
 * B-frames and audio stay on the sub-stream too, which is what the console should see for such a camera).
 */
export function simSubFixture(main: FixtureName): FixtureName {
  return main === 'h264' ? 'h264-sub' : main;
}

export function planCamera(
  seed: Pick<CameraSeed, 'index' | 'name' | 'network' | 'orgUnitCode'> & Partial<Pick<CameraSeed, 'ptz'>>,
  net = 0,
): SimCameraSpec {
  return {
    id: `sim-${String(seed.index).padStart(5, '0')}`,
    index: seed.index,
    name: seed.name,
    network: seed.network,
    orgUnitCode: seed.orgUnitCode,
    host: simHost(seed.index, net),
    rtspPort: SIM_RTSP_PORT,
    onvifPort: SIM_ONVIF_PORT,
    fixture: simFixture(seed.index),
    subFixture: simSubFixture(simFixture(seed.index)),
    username: 'admin',
    password: `Sim-${seed.index}-pass`,
    ptz: seed.ptz ?? false,
  };
}

export function planFleet(seeds: CameraSeed[], net = 0): SimCameraSpec[] {
  return seeds.map((seed) => planCamera(seed, net));
}

/** The stream URL as the console stores it: never with credentials in it. */
export function rtspUrl(spec: SimCameraSpec): string {
  return `rtsp://${spec.host}:${spec.rtspPort}${MAIN_STREAM_PATH}`;
}

/** RTSP paths of the two streams every simulated camera serves (Hikvision-like numbering). */
export const MAIN_STREAM_PATH = '/stream1';
export const SUB_STREAM_PATH = '/stream2';

/** The sub-stream URL as the console stores it (`cameras.sub_stream_url`): never with credentials in it. */
export function subStreamUrl(spec: SimCameraSpec): string {
  return `rtsp://${spec.host}:${spec.rtspPort}${SUB_STREAM_PATH}`;
}

export function onvifXAddr(spec: SimCameraSpec): string {
  return `http://${spec.host}:${spec.onvifPort}/onvif/device_service`;
}

/** The camera's JPEG snapshot (what its ONVIF GetSnapshotUri answers), as the console stores it: no credentials. */
export const SNAPSHOT_PATH = '/onvif/snapshot.jpg';

export function onvifSnapshotUrl(spec: SimCameraSpec): string {
  return `http://${spec.host}:${spec.onvifPort}${SNAPSHOT_PATH}`;
}
