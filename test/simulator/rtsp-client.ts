// Test helpers: the simulator's own small RTSP client, and bounded waiting.
export { RtspTestClient, type RtpPacket, type RtspResponse } from '../../scripts/simulator/rtsp/client';

/** Polls until cond() is true or the deadline passes (no timing is asserted, this only bounds waiting). */
export async function until(cond: () => boolean, timeoutMs = 10_000, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
