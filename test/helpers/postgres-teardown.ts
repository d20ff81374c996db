// vitest globalSetup: nothing to start (the PostgreSQL cluster is started lazily, by the first test file that needs
// it, see postgres.ts), but whatever this run started is stopped and removed when the run ends.
import { clusterDir, stopCluster } from './postgres';

export default function setup(): () => void {
  const dir = clusterDir(process.pid);
  return () => stopCluster(dir);
}
