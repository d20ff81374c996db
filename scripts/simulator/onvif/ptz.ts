// ONVIF PTZ (ver20/ptz/wsdl) of a simulated dome: one node, continuous move and stop, presets (list, go to, save,
// remove), home. The position is integrated from the velocity over time, as a real head moves, and what the camera
// shows follows it: `view()` is the pan sector (0–4) whose pre-encoded picture the streams switch to with their next
// frame, an IDR (scripts/make-fixtures.sh makes the `ptz-N` views), so a test sees a move happen in the picture.
import { elementText, escapeXml } from './soap';

export interface PtzPosition { pan: number; tilt: number; zoom: number }
export interface PtzPreset extends PtzPosition { token: string; name: string }

const INITIAL_PRESETS: readonly PtzPreset[] = [
  { token: '1', name: '全景', pan: 0, tilt: 0, zoom: 0 },
  { token: '2', name: '路口', pan: 0.5, tilt: -0.2, zoom: 0.3 },
  { token: '3', name: '大门', pan: -0.6, tilt: -0.1, zoom: 0.5 },
];
/** Real domes hold 128–300; a small limit lets a test reach ter:TooManyPresets. */
export const MAX_PRESETS = 32;
/** Position units per second at velocity 1: a full-speed pan crosses one view (0.4) in 0.8 s. */
const SPEED = 0.5;
export const VIEW_COUNT = 5;
const HOME: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class PtzState {
  private pos: PtzPosition = { ...HOME };
  private vel: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private since = Date.now();
  /** A ContinuousMove with a Timeout stops by itself then (ms since epoch), as the ONVIF spec asks. */
  private until = Infinity;
  private presets: PtzPreset[] = INITIAL_PRESETS.map((p) => ({ ...p }));
  private nextToken = INITIAL_PRESETS.length + 1;
  moves = 0;
  stops = 0;

  position(now = Date.now()): PtzPosition {
    const dt = (Math.min(now, this.until) - this.since) / 1000;
    return {
      pan: clamp(this.pos.pan + this.vel.pan * dt * SPEED, -1, 1),
      tilt: clamp(this.pos.tilt + this.vel.tilt * dt * SPEED, -1, 1),
      zoom: clamp(this.pos.zoom + this.vel.zoom * dt * SPEED, 0, 1),
    };
  }

  moving(now = Date.now()): boolean {
    return now < this.until && (this.vel.pan !== 0 || this.vel.tilt !== 0 || this.vel.zoom !== 0);
  }

  /** The pan sector shown: 0 (far left) … 4 (far right); 2 is the home view. */
  view(now = Date.now()): number {
    return clamp(Math.floor(((this.position(now).pan + 1) / 2) * VIEW_COUNT), 0, VIEW_COUNT - 1);
  }

  move(v: PtzPosition, timeoutMs?: number): void {
    this.settle({ pan: clamp(v.pan, -1, 1), tilt: clamp(v.tilt, -1, 1), zoom: clamp(v.zoom, -1, 1) });
    this.until = timeoutMs && timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    this.moves++;
  }

  stop(): void {
    this.settle({ pan: 0, tilt: 0, zoom: 0 });
    this.stops++;
  }

  list(): readonly PtzPreset[] {
    return this.presets;
  }

  goto(token: string): boolean {
    const p = this.presets.find((q) => q.token === token);
    if (!p) return false;
    this.jump(p);
    return true;
  }

  home(): void {
    this.jump(HOME);
  }

  /** Stores the current position; a new preset when no token is given. Errors as ONVIF subcodes. */
  save(name: string | undefined, token: string | undefined): { token: string } | { error: 'NoToken' | 'PresetExist' | 'TooManyPresets' } {
    const here = this.position();
    if (token) {
      const p = this.presets.find((q) => q.token === token);
      if (!p) return { error: 'NoToken' };
      if (name && this.presets.some((q) => q !== p && q.name === name)) return { error: 'PresetExist' };
      Object.assign(p, here, name ? { name } : {});
      return { token };
    }
    if (name && this.presets.some((q) => q.name === name)) return { error: 'PresetExist' };
    if (this.presets.length >= MAX_PRESETS) return { error: 'TooManyPresets' };
    const t = String(this.nextToken++);
    this.presets.push({ token: t, name: name || `Preset ${t}`, ...here });
    return { token: t };
  }

  remove(token: string): boolean {
    const before = this.presets.length;
    this.presets = this.presets.filter((p) => p.token !== token);
    return this.presets.length < before;
  }

  private settle(vel: PtzPosition): void {
    this.pos = this.position();
    this.since = Date.now();
    this.vel = vel;
    this.until = Infinity;
  }

  private jump(p: PtzPosition): void {
    this.pos = { pan: p.pan, tilt: p.tilt, zoom: p.zoom };
    this.vel = { pan: 0, tilt: 0, zoom: 0 };
    this.since = Date.now();
    this.until = Infinity;
    this.moves++;
  }
}

const SPACE = 'http://www.onvif.org/ver10/tptz';

/** A handler's answer: the response body, or an ONVIF fault subcode (the server wraps it). */
export type PtzReply = string | { fault: string; reason: string };

export function getNodes(): string {
  return '<tptz:GetNodesResponse><tptz:PTZNode token="PTZNode_1" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>' +
    '<tt:SupportedPTZSpaces>' +
    `<tt:ContinuousPanTiltVelocitySpace><tt:URI>${SPACE}/PanTiltSpaces/VelocityGenericSpace</tt:URI>` +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>' +
    '</tt:ContinuousPanTiltVelocitySpace>' +
    `<tt:ContinuousZoomVelocitySpace><tt:URI>${SPACE}/ZoomSpaces/VelocityGenericSpace</tt:URI>` +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace>' +
    '</tt:SupportedPTZSpaces>' +
    `<tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>` +
    '</tptz:PTZNode></tptz:GetNodesResponse>';
}

export function getConfigurations(): string {
  return '<tptz:GetConfigurationsResponse><tptz:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZConfig</tt:Name>' +
    '<tt:UseCount>1</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken></tptz:PTZConfiguration></tptz:GetConfigurationsResponse>';
}

export function getPresets(ptz: PtzState): string {
  return '<tptz:GetPresetsResponse>' +
    ptz.list().map((p) =>
      `<tptz:Preset token="${escapeXml(p.token)}"><tt:Name>${escapeXml(p.name)}</tt:Name><tt:PTZPosition>` +
      `<tt:PanTilt x="${p.pan.toFixed(3)}" y="${p.tilt.toFixed(3)}"/><tt:Zoom x="${p.zoom.toFixed(3)}"/></tt:PTZPosition></tptz:Preset>`).join('') +
    '</tptz:GetPresetsResponse>';
}

export function getStatus(ptz: PtzState): string {
  const now = Date.now();
  const p = ptz.position(now);
  const state = ptz.moving(now) ? 'MOVING' : 'IDLE';
  return '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>' +
    `<tt:PanTilt x="${p.pan.toFixed(3)}" y="${p.tilt.toFixed(3)}"/><tt:Zoom x="${p.zoom.toFixed(3)}"/></tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${state}</tt:PanTilt><tt:Zoom>${state}</tt:Zoom></tt:MoveStatus>` +
    `<tt:UtcTime>${new Date(now).toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`;
}

/** ISO 8601 durations as clients send them: PT1S, PT0.5S, PT1M2.5S. */
export function durationMs(s: string | undefined): number | undefined {
  const m = s ? /^P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)$/.exec(s.trim()) : null;
  if (!m) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Reads <Velocity><PanTilt x= y=/><Zoom x=/></Velocity> and the optional <Timeout>. */
export function continuousMove(ptz: PtzState, body: string): string {
  const pt = /<(?:[\w.-]+:)?PanTilt\b([^>]*)\/?>/.exec(body)?.[1] ?? '';
  const zm = /<(?:[\w.-]+:)?Zoom\b([^>]*)\/?>/.exec(body)?.[1] ?? '';
  const attr = (s: string, name: string) => Number(new RegExp(`\\b${name}="([^"]*)"`).exec(s)?.[1] ?? 0) || 0;
  ptz.move({ pan: attr(pt, 'x'), tilt: attr(pt, 'y'), zoom: attr(zm, 'x') }, durationMs(elementText(body, 'Timeout')));
  return '<tptz:ContinuousMoveResponse/>';
}

export function stop(ptz: PtzState): string {
  ptz.stop();
  return '<tptz:StopResponse/>';
}

/** undefined when the preset does not exist (the caller answers with a fault). */
export function gotoPreset(ptz: PtzState, body: string): string | undefined {
  return ptz.goto(unescapeXml(elementText(body, 'PresetToken') ?? '')) ? '<tptz:GotoPresetResponse/>' : undefined;
}

export function gotoHomePosition(ptz: PtzState): string {
  ptz.home();
  return '<tptz:GotoHomePositionResponse/>';
}

export function setPreset(ptz: PtzState, body: string): PtzReply {
  const name = elementText(body, 'PresetName');
  const token = elementText(body, 'PresetToken');
  const r = ptz.save(name === undefined ? undefined : unescapeXml(name), token ? unescapeXml(token) : undefined);
  if ('error' in r) return { fault: `ter:${r.error}`, reason: r.error === 'NoToken' ? 'No such preset' : r.error === 'PresetExist' ? 'A preset has this name' : 'No room for another preset' };
  return `<tptz:SetPresetResponse><tptz:PresetToken>${escapeXml(r.token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
}

export function removePreset(ptz: PtzState, body: string): PtzReply {
  return ptz.remove(unescapeXml(elementText(body, 'PresetToken') ?? ''))
    ? '<tptz:RemovePresetResponse/>'
    : { fault: 'ter:NoToken', reason: 'No such preset' };
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}
