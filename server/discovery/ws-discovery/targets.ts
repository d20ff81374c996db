// Which hosts a unicast discovery job probes: single IPv4 addresses, ranges ("10.1.2.10-10.1.2.50" or
// "10.1.2.10-50") and CIDR blocks ("10.1.3.0/28"). Bounded (MAX_HOSTS) so a typo cannot start a sweep of a /8;
// multicast and broadcast addresses are refused: this job only ever sends unicast.

export const MAX_HOSTS = 4096;

export class TargetError extends Error {
  constructor(readonly target: string, message: string) {
    super(`"${target}" ${message}`);
  }
}

function toInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function checkUnicast(target: string, n: number): void {
  const first = n >>> 24;
  if (first >= 224) throw new TargetError(target, 'includes multicast or reserved addresses (224.0.0.0 and above)');
  if (n === 0 || first === 0) throw new TargetError(target, 'includes 0.x.x.x addresses');
}

/** Expands targets into distinct addresses, in order; throws TargetError naming the bad entry. */
export function expandTargets(targets: string[]): string[] {
  const out = new Set<string>();
  const add = (target: string, from: number, to: number) => {
    if (to < from) throw new TargetError(target, 'is an empty range');
    if (to - from + 1 + out.size > MAX_HOSTS) throw new TargetError(target, `makes more than ${MAX_HOSTS} hosts`);
    checkUnicast(target, from);
    checkUnicast(target, to);
    for (let n = from; n <= to; n++) out.add(toIp(n));
  };
  for (const raw of targets) {
    const target = raw.trim();
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(target);
    const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(target);
    if (cidr) {
      const base = toInt(cidr[1]);
      const bits = Number(cidr[2]);
      if (base === undefined || bits > 32) throw new TargetError(target, 'is not an IPv4 CIDR block');
      const size = 2 ** (32 - bits);
      const network = Math.floor(base / size) * size;
      // Skip the network and broadcast addresses of blocks that have them.
      add(target, size > 2 ? network + 1 : network, size > 2 ? network + size - 2 : network + size - 1);
    } else if (range) {
      const from = toInt(range[1]);
      // "10.1.2.10-50" means the same /24, up to .50.
      const shortEnd = /^\d{1,3}$/.test(range[2]) ? Number(range[2]) : undefined;
      const to = shortEnd === undefined ? toInt(range[2]) : shortEnd <= 255 && from !== undefined ? Math.floor(from / 256) * 256 + shortEnd : undefined;
      if (from === undefined || to === undefined) throw new TargetError(target, 'is not an IPv4 range');
      add(target, from, to);
    } else {
      const n = toInt(target);
      if (n === undefined) throw new TargetError(target, 'is not an IPv4 address, range or CIDR block');
      add(target, n, n);
    }
  }
  return [...out];
}
