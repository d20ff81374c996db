// The new-task alert: a short two-tone beep made with WebAudio (no audio file to ship or cache).
// Browsers keep an AudioContext suspended until the page has had a user gesture; a wall left alone after a reload
// would stay silent. So the first click or key press anywhere resumes it, and `beep` reports whether it could
// sound, letting the toast tell the operator to click once.

type AudioContextCtor = typeof AudioContext;
let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor: AudioContextCtor | undefined =
    typeof window === 'undefined' ? undefined : (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext);
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** Resumes audio on the first user gesture; returns the cleanup. Call once per page. */
export function unlockAudioOnGesture(): () => void {
  const events = ['pointerdown', 'keydown'] as const;
  const remove = () => events.forEach((e) => window.removeEventListener(e, unlock, true));
  function unlock() {
    const c = context();
    if (!c) return remove();
    void c.resume().then(() => c.state === 'running' && remove(), () => {});
  }
  events.forEach((e) => window.addEventListener(e, unlock, true));
  return remove;
}

/** Plays the alert; false when audio is blocked or missing (the caller shows a hint instead). */
export async function beep(): Promise<boolean> {
  const c = context();
  if (!c) return false;
  if (c.state !== 'running') {
    // Without a gesture resume() may stay pending for ever: give it a moment, then report blocked.
    await Promise.race([c.resume().catch(() => {}), new Promise((r) => setTimeout(r, 250))]);
    // TypeScript narrowed `state` before the await; read it afresh.
    if ((c.state as AudioContextState) !== 'running') return false;
  }
  const start = c.currentTime + 0.01;
  for (const [offset, freq] of [[0, 880], [0.18, 1175]] as const) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    // A quick attack and decay: no click at the start or the end of the tone.
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
    osc.connect(gain).connect(c.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.16);
  }
  return true;
}
