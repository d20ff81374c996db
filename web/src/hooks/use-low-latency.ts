// The low-latency transport for one tile (WebRTC over WHEP, server/media/webrtc/): while `want` holds (the tile is
// being steered), offer a receive-only video connection to /api/live/:id/whep and expose the stream once it plays.
// Refusals (the cap, an H.265 camera, a camera down) and failures leave the tile on HLS with the reason; a refusal is
// not retried until `want` turns on again. After `want` ends the session lingers a little (steering comes in bursts),
// then is ended with DELETE.
import { useEffect, useState } from 'react';
import { csrfHeader } from '../api/http';

export type LowLatencyPhase = 'off' | 'connecting' | 'live' | 'refused' | 'failed';

export interface LowLatencyState {
  phase: LowLatencyPhase;
  stream: MediaStream | null;
  /** The server's refusal, or what failed. */
  reason?: string;
}

/** Steering comes in bursts: keep the session this long after the last one before falling back to HLS. */
export const LINGER_MS = 20_000;
/** ICE gathering of host candidates takes milliseconds; never hold the offer longer than this. */
const GATHER_MS = 1_000;
/** A connection that does not play by then is given up (the tile stays on HLS). */
const CONNECT_MS = 10_000;

const OFF: LowLatencyState = { phase: 'off', stream: null };

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, GATHER_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
    });
  });
}

function errorMessage(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { message?: string };
    if (body.message) return body.message;
  } catch { /* not JSON */ }
  return `HTTP ${status}`;
}

export function useLowLatency(cameraId: number, stream: 'main' | 'sub', want: boolean): LowLatencyState {
  const [state, setState] = useState<LowLatencyState>(OFF);
  const [active, setActive] = useState(want);

  // `active` follows `want` on, and off only after LINGER_MS without it.
  useEffect(() => {
    if (want) { setActive(true); return; }
    const timer = setTimeout(() => setActive(false), LINGER_MS);
    return () => clearTimeout(timer);
  }, [want]);

  useEffect(() => {
    if (!active || typeof RTCPeerConnection === 'undefined') { setState(OFF); return; }
    let closed = false;
    let location: string | null = null;
    const pc = new RTCPeerConnection({ iceServers: [] });
    const fail = (phase: 'refused' | 'failed', reason: string) => {
      if (closed) return;
      setState({ phase, stream: null, reason });
      pc.close();
    };
    const timer = setTimeout(() => { if (pc.connectionState !== 'connected') fail('failed', 'timeout'); }, CONNECT_MS);
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.ontrack = (e) => {
      if (closed) return;
      const media = e.streams[0] ?? new MediaStream([e.track]);
      setState({ phase: 'live', stream: media });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'disconnected') fail('failed', pc.connectionState);
    };
    const end = () => {
      if (location) void fetch(location, { method: 'DELETE', credentials: 'same-origin', headers: csrfHeader() }).catch(() => {});
      location = null;
    };
    setState({ phase: 'connecting', stream: null });
    void (async () => {
      try {
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        if (closed) return;
        const res = await fetch(`/api/live/${cameraId}/whep${stream === 'sub' ? '?stream=sub' : ''}`, {
          method: 'POST', credentials: 'same-origin', body: pc.localDescription?.sdp ?? '',
          headers: { 'content-type': 'application/sdp', accept: 'application/sdp', ...csrfHeader() },
        });
        const text = await res.text();
        if (res.status !== 201) return fail('refused', errorMessage(text, res.status));
        location = res.headers.get('location');
        if (closed) return void end();
        await pc.setRemoteDescription({ type: 'answer', sdp: text });
      } catch (err) {
        fail('failed', err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      closed = true;
      clearTimeout(timer);
      pc.close();
      end();
    };
  }, [active, cameraId, stream]);

  return state;
}
