/** See bundle.mjs: bundles a TypeScript entry point for plain node; resolves to the bundle's path. */
export function bundleEntry(source: string, name: string): Promise<string>;
/** Arguments for node to run a TypeScript entry: its bundle, or `--import tsx <source>` if bundling fails. */
export function nodeArgsFor(source: string, name: string): Promise<string[]>;
