// Child process of the viewers bench: one simulated camera at a reserved simulator index, so its CPU is read apart
// from the gateway's. Prints one JSON line when it listens; stops on stdin end, SIGTERM or SIGINT.
import { planCamera, rtspUrl, startCamera } from '../../simulator/index';

const index = Number(process.argv[2]);
if (!Number.isInteger(index) || index < 188) throw new Error('usage: camera.ts <simulator index outside the demo fleet 0–187>');

const spec = planCamera({ index, name: `东城小区基准测试-${index}`, network: 'huiyan', orgUnitCode: 'bench' });
const camera = await startCamera(spec);
process.stdout.write(JSON.stringify({ ready: true, rtspUrl: rtspUrl(spec), username: spec.username, password: spec.password, host: spec.host, fixture: spec.fixture }) + '\n');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 3000);
  force.unref();
  void camera.close().finally(() => process.exit(0));
};
process.stdin.resume();
process.stdin.on('end', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
