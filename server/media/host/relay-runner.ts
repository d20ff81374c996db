// Runs Relays for one host (a worker thread or the main thread) and turns their events into host messages.
// Every entry point is guarded: a relay that throws is stopped and reported, never allowed to take the thread
// (and the other cameras on it) down with it.
import { Relay } from '../relay';
import { isPushSource, PushFeeds } from '../push/feeds';
import { openRtspSession, type RtspOpener } from '../rtsp/session';
import type { RelayId } from '../types';
import type { HostSink, ToHost } from './protocol';

const STATS_INTERVAL_MS = 1000;

export class RelayRunner {
  private readonly relays = new Map<RelayId, { relay: Relay; run: number }>();
  private readonly statsTimer: NodeJS.Timeout;
  /** Pushed cameras' feeds; data for a relay waiting out a backoff brings its retry forward. */
  private readonly pushes = new PushFeeds((relayId) => {
    try { this.relays.get(relayId)?.relay.retryNow(); } catch { /* guarded like every entry point */ }
  });
  /** Relays whose access units go to the main thread (a WebRTC viewer exists); survives a restart of the relay. */
  private readonly tapped = new Set<RelayId>();

  constructor(private readonly post: HostSink, private readonly open: RtspOpener = openRtspSession) {
    this.statsTimer = setInterval(() => this.postStats(), STATS_INTERVAL_MS);
    this.statsTimer.unref();
  }

  handle(msg: ToHost): void {
    if (msg.type === 'start') this.start(msg);
    else if (msg.type === 'stop') {
      this.tapped.delete(msg.relayId);
      this.stop(msg.relayId);
    }
    else if (msg.type === 'retry') {
      try { this.relays.get(msg.relayId)?.relay.retryNow(); } catch { /* guarded like every entry point */ }
    } else if (msg.type === 'feed') {
      // Guarded: a malformed tag ends only that camera's session (the relay reconnects with backoff).
      for (const { relayId, tags } of msg.feeds) {
        try { this.pushes.deliver(relayId, tags); } catch { this.pushes.end(relayId, 'protocol error'); }
      }
    } else if (msg.type === 'feed-end') {
      try { this.pushes.end(msg.relayId, msg.reason); } catch { /* as above */ }
    } else if (msg.type === 'tap') {
      if (msg.on) this.tapped.add(msg.relayId);
      else this.tapped.delete(msg.relayId);
      const entry = this.relays.get(msg.relayId);
      if (entry) entry.relay.tap = msg.on;
    }
  }

  private start(msg: Extract<ToHost, { type: 'start' }>): void {
    const { relayId, run } = msg;
    this.stop(relayId);
    // The relay asks for its source on every (re)connect; within one start the source is fixed. A changed URL
    // or password reaches the relay by stop + start from the manager.
    const source = msg.source;
    // A pushed camera's source names no camera to pull: its relay opens the feed the ingest forwards here.
    const open = isPushSource(source.url) ? this.pushes.opener(relayId) : this.open;
    const relay = new Relay(relayId, async () => source, open, msg.opts, msg.resume ?? undefined);
    this.relays.set(relayId, { relay, run });
    relay.on('publish', (publish) => {
      // Each body is an exact-size ArrayBuffer of its own (SegmentTarget), so it can be moved, not copied.
      const transfer = publish.added.map((f) => f.body.buffer as ArrayBuffer);
      if (publish.parts) for (const f of publish.parts) transfer.push(f.body.buffer as ArrayBuffer);
      this.post({ type: 'publish', relayId, run, publish }, transfer);
    });
    relay.tap = this.tapped.has(relayId);
    relay.on('video', (codec, u) => {
      // A copy in an ArrayBuffer of its own: the packager keeps the original, and the copy can be moved to the main
      // thread. Not .slice(): units may be Buffers, whose slice() is a view of a shared buffer (moving it would
      // detach the packager's bytes).
      const data = new Uint8Array(u.data);
      this.post({ type: 'video', relayId, run, codec, units: [{ pts: u.pts, key: u.key, data }] }, [data.buffer as ArrayBuffer]);
    });
    relay.on('state', ({ state, reason }) => this.post({ type: 'state', relayId, run, state, reason, stats: relay.stats() }));
    relay.on('status', ({ status, reason }) => this.post({ type: 'status', relayId, run, status, reason, stats: relay.stats() }));
    try {
      relay.start();
    } catch {
      this.relays.delete(relayId);
      relay.stop();
      this.post({ type: 'state', relayId, run, state: 'stopped', reason: 'protocol error', stats: relay.stats() });
    }
  }

  stop(relayId: RelayId): void {
    const entry = this.relays.get(relayId);
    if (!entry) return;
    this.relays.delete(relayId);
    try { entry.relay.stop(); } catch { /* a relay failing to stop must not stop the others */ }
    this.pushes.forget(relayId);
  }

  private postStats(): void {
    if (this.relays.size === 0) return;
    const now = Date.now();
    this.post({ type: 'stats', stats: [...this.relays.values()].map(({ relay, run }) => ({ run, stats: relay.stats(now) })) });
  }

  get size(): number { return this.relays.size; }

  close(): void {
    clearInterval(this.statsTimer);
    for (const id of [...this.relays.keys()]) this.stop(id);
  }
}
