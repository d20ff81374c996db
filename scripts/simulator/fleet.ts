// Many cameras in one process. Start-up is bounded in concurrency so 200 cameras do not open 600 sockets
// in one burst; the pacing timer is shared by all of them (clock.ts).
import type { Server } from 'node:http';
import { type CameraOptions, type SimCamera, startCamera } from './camera';
import { startControl } from './control';
import type { Pusher } from './pusher';
import type { SimCameraSpec } from '../../server/demo/camera-plan';

export interface Fleet {
  cameras: SimCamera[];
  get(id: string): SimCamera | undefined;
  close(): Promise<void>;
  /** Pushing devices (RTMP publishers) started through the control endpoint or the CLI, by id. */
  pushers: Map<string, Pusher>;
  /** http://127.0.0.1:<port> of the control endpoint, when one was asked for (controlPort 0 picks a free port). */
  controlUrl?: string;
}

export interface FleetOptions extends CameraOptions {
  /** Serve the control endpoint on 127.0.0.1:controlPort. */
  controlPort?: number;
}

const START_CONCURRENCY = 16;

export async function startFleet(specs: SimCameraSpec[], opts: FleetOptions = {}): Promise<Fleet> {
  const byId = new Map<string, SimCamera>();
  const cameras: SimCamera[] = new Array(specs.length);
  let next = 0;
  let failure: Error | undefined;
  const worker = async () => {
    while (!failure && next < specs.length) {
      const i = next++;
      try {
        cameras[i] = await startCamera(specs[i], opts);
        byId.set(specs[i].id, cameras[i]);
      } catch (err) {
        failure ??= err as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, specs.length) }, worker));
  const started = cameras.filter(Boolean);
  if (failure) {
    await Promise.all(started.map((c) => c.close()));
    throw failure;
  }
  let control: Server | undefined;
  const fleet: Fleet = {
    cameras,
    get: (id) => byId.get(id),
    pushers: new Map(),
    close: async () => {
      if (control) await new Promise<void>((resolve) => { control!.close(() => resolve()); control!.closeAllConnections(); });
      control = undefined;
      await Promise.all([...fleet.pushers.values()].map((p) => p.stop()));
      fleet.pushers.clear();
      await Promise.all(cameras.map((c) => c.close()));
    },
  };
  if (opts.controlPort !== undefined) {
    try {
      control = await startControl(fleet, opts.controlPort);
      const addr = control.address();
      if (addr && typeof addr === 'object') fleet.controlUrl = `http://127.0.0.1:${addr.port}`;
    } catch (err) {
      await fleet.close();
      throw err;
    }
  }
  return fleet;
}
