// Worker threads do not inherit the TypeScript loader in every setting (vitest forks, `node --import tsx`, plain
// node), so each relay worker registers tsx itself before loading its TypeScript entry. Resolving tsx from this
// file (not the process cwd) makes it work wherever the gateway is started from.
import { register } from 'tsx/esm/api';

register();
await import('./relay-worker.ts');
