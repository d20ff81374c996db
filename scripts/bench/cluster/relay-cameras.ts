// bench:cluster's camera process for the relays round: `count` plain H.264 simulated cameras from a reserved index
// (clear of the demo fleet, the media tests' 2000… and bench:viewers' 3300), in a process of their own so their
// CPU is not counted on any node. Writes one JSON line with the sources when they listen; on each stdin line
// "stats" writes the RTSP sessions each camera is streaming now (activeStreams) and its connections. Stops at the
// end of stdin.
//   node --import tsx scripts/bench/cluster/relay-cameras.ts <count>
import { createInterface } from 'node:readline';
import { planCamera, startFleet } from '../../simulator/index';

const BASE_INDEX = 3400;

const count = Number(process.argv[2] ?? '1');
const specs = [];
for (let i = BASE_INDEX; specs.length < count; i++) {
  if ([5, 10, 15, 20].includes(i % 25)) continue; // other fixtures (audio, H.265, …): a like-for-like load
  specs.push(planCamera({ index: i, name: `bench-cluster-${i}`, network: 'bench', orgUnitCode: 'B' }));
}
const fleet = await startFleet(specs);
const emit = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
emit({
  ready: true,
  cameras: fleet.cameras.map((c) => ({ url: c.rtspUrl, subUrl: c.subStreamUrl, username: c.spec.username, password: c.spec.password })),
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') emit({ stats: fleet.cameras.map((c) => { const s = c.stats(); return { sessions: s.activeStreams, connections: s.rtspConnections }; }) });
});
process.stdin.on('end', () => { void fleet.close().then(() => process.exit(0)); });
