/** See bundle.mjs: bundles a TypeScript entry point for plain node; resolves to the bundle's path. */
export function bundleEntry(source: string, name: string): Promise<string>;
