// The environment the gateway process runs with: `npm start` and the benchmarks that start a gateway or relays.
//
// MALLOC_MMAP_THRESHOLD_: glibc raises its mmap threshold each time a large block is freed; after that the relays'
// segment buffers (~230 KB each, made on a worker thread, freed on the serving thread when they leave the live
// window) are carved from malloc arenas and the freed ones linger as fragmentation. Measured at 100 streams:
// ~330–345 MB PSS with the moving threshold, ~285–297 MB with it fixed at 128 KiB, where every segment is its own
// mapping, returned to the system as soon as it is collected. A value set by the operator wins.
export const GATEWAY_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

export function gatewayEnv(env = process.env) {
  return { ...GATEWAY_ENV, ...env };
}
