// The relay bench's camera process: `count` simulated cameras, so that their CPU is never counted on either side.
// Writes one JSON line with the sources when they listen; stops at the end of stdin.
//   node --import tsx scripts/bench/relay/cameras.ts <count> [base index]
import { planCamera, startFleet } from '../../simulator/index';

/** The media tests' index range by default (the bench is not run alongside them); argv[3] picks another (the
 * recording bench uses its own, so it can run beside the relay bench and the media tests). */
const BASE_INDEX = Number(process.argv[3] ?? 2000);

/** argv[4] 'pcma': only cameras with the h264-pcma fixture (index % 25 === 20), for the G.711 round. */
const PCMA = process.argv[4] === 'pcma';

function specs(count: number) {
  // Plain H.264 fixtures only (index % 25 in {5,10,20} and %50==15 are other fixtures): a like-for-like load.
  const out = [];
  for (let i = BASE_INDEX; out.length < count; i++) {
    if (PCMA ? i % 25 !== 20 : [5, 10, 15, 20].includes(i % 25)) continue;
    out.push(planCamera({ index: i, name: `bench-${i}`, network: 'bench', orgUnitCode: 'B' }));
  }
  return out;
}

const count = Number(process.argv[2] ?? '1');
const fleet = await startFleet(specs(count));
process.stdout.write(JSON.stringify({ ready: true, urls: fleet.cameras.map((c) => ({ url: c.rtspUrl, username: c.spec.username, password: c.spec.password })) }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => { void fleet.close().then(() => process.exit(0)); });
