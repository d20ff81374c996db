// Run only inside a network namespace created by discovery-multicast.test.ts: starts one camera that joins the
// WS-Discovery group, lets the onvif client's own multicast Discovery.probe find it, prints a JSON result.
// Refuses to run where any interface other than lo exists, so the multicast can never leave the machine.
import { networkInterfaces } from 'node:os';
import { createRequire } from 'node:module';
import { planCamera, startCamera } from '../../scripts/simulator/index';

const ifaces = Object.keys(networkInterfaces());
if (ifaces.some((n) => n !== 'lo')) {
  console.error(`refusing to multicast: interfaces ${ifaces.join(', ')} (run inside a fresh network namespace)`);
  process.exit(3);
}
const index = Number(process.argv[2] ?? 1450);
const { Discovery } = createRequire(import.meta.url)('onvif') as {
  Discovery: { probe(opts: { timeout: number; resolve: boolean }, cb: (err: unknown, cams: unknown[]) => void): void };
};

const cam = await startCamera(planCamera({ index, name: `netns-${index}`, network: 'skynet', orgUnitCode: '339901' }), { joinMulticast: true });
const found = await new Promise<unknown[]>((resolve) => Discovery.probe({ timeout: 1500, resolve: false }, (_err, cams) => resolve(cams ?? [])));
const probes = cam.stats().discoveryProbes;
await cam.close();
console.log(JSON.stringify({ xaddr: cam.onvifXAddr, probes, found }));
process.exit(0);
