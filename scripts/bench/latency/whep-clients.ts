// Load for bench:latency: N low-latency viewers as werift clients in a process of their own (so the bench process's
// CPU is the gateway's). Each offers receive-only H.264 to the gateway's WHEP endpoint over loopback and counts
// pictures. Prints "ready <playing> <refused or failed>" on stdout once every client has received a picture or given
// up (refusals, e.g. the cap, on stderr), then runs until stdin closes.
//
//   tsx scripts/bench/latency/whep-clients.ts <baseURL> <cameraId> <count>   (cookie and csrf token in the env)
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';

const [base, cameraId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const cookie = process.env.WHEP_COOKIE ?? '';
const csrf = process.env.WHEP_CSRF ?? '';

async function open(): Promise<{ pc: RTCPeerConnection; pictured: Promise<void>; location: string }> {
  const pc = new RTCPeerConnection({
    iceServers: [], iceUseIpv6: false, iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: { video: [new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90_000, parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f' })], audio: [] },
  });
  pc.addTransceiver('video', { direction: 'recvonly' });
  const pictured = new Promise<void>((resolve) => {
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => { if (rtp.header.marker) resolve(); }));
  });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => { if (s === 'complete') resolve(); });
  });
  const res = await fetch(`${base}/api/live/${cameraId}/whep`, {
    method: 'POST', body: pc.localDescription!.sdp, headers: { 'content-type': 'application/sdp', cookie, 'x-csrf-token': csrf },
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`WHEP ${res.status}: ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return { pc, pictured, location: res.headers.get('location')! };
}

/** A client that gets no picture within this long counts as failed. */
const PICTURE_TIMEOUT_MS = 15_000;
const settled = await Promise.allSettled(Array.from({ length: count }, async () => {
  const c = await open();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no picture')), PICTURE_TIMEOUT_MS); });
  try {
    await Promise.race([c.pictured, timeout]);
  } catch (err) {
    await c.pc.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return c;
}));
const clients = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
for (const r of settled) if (r.status === 'rejected') process.stderr.write(`[whep-clients] ${String(r.reason)}\n`);
process.stdout.write(`ready ${clients.length} ${count - clients.length}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(clients.map(async (c) => {
    await fetch(`${base}${c.location}`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrf } }).catch(() => {});
    await c.pc.close();
  }));
  process.exit(0);
});
