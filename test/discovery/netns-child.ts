// Runs INSIDE a network namespace created by multicast-netns.test.ts (never on the host's interfaces).
//   camera <address>          a simulated camera joined to the WS-Discovery group; prints "ready", runs until killed
//   probe <interface> <addr>  a multicast discovery on <interface>; prints the devices found as one JSON line
import { runDiscovery, type FoundDevice } from '../../server/discovery/onvif/discover';
import { planCamera, startCamera } from '../../scripts/simulator/index';

const [mode, a, b] = process.argv.slice(2);
const spec = (host: string) => ({ ...planCamera({ index: 4150, name: '组播发现', network: 'skynet', orgUnitCode: '339901001' }), host });

if (mode === 'camera' && a) {
  const camera = await startCamera(spec(a), { joinMulticast: true });
  console.log('ready');
  // Bounded even if the parent forgets it: gone after 60 s.
  const stop = async () => {
    await camera.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  setTimeout(stop, 60_000);
} else if (mode === 'probe' && a && b) {
  const s = spec(b);
  const found: FoundDevice[] = [];
  await runDiscovery({
    mode: 'multicast', iface: a, credentials: { username: s.username, password: s.password },
    timeoutMs: 2000, concurrency: 2, signal: AbortSignal.timeout(15_000),
    onProgress: () => undefined,
    onDevice: async (d) => void found.push(d),
  });
  console.log(JSON.stringify({ found, serial: s.id, expectedXaddr: `http://${b}:${s.onvifPort}/onvif/device_service` }));
  process.exit(0);
} else {
  throw new Error('usage: netns-child.ts camera <address> | probe <interface> <camera address>');
}
