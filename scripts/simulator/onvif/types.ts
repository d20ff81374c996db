// What the ONVIF handlers need to know about the camera they speak for.
import type { Fixture } from '../fixtures';
import type { SimCameraSpec } from '../../../server/demo/camera-plan';
import type { PtzState } from './ptz';

export type OnvifService = 'device' | 'media' | 'ptz' | 'recording' | 'search' | 'replay';

export interface OnvifCamera {
  spec: SimCameraSpec;
  fixture: Fixture;
  /** The sub-stream's fixture (Profile_2). */
  subFixture: Fixture;
  /** The JPEG the snapshot address serves now (a dome's current view). */
  snapshot(): Buffer | undefined;
  rtspUrl: string;
  subStreamUrl: string;
  snapshotUrl: string;
  xaddr(service: OnvifService): string;
  ptz: PtzState;
  /** Profile G: what the camera's SD card holds (one recording from startMs to now) and its replay address. */
  recording: { startMs: number; replayUrl: string };
}
