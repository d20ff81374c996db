// Minimal ONVIF PTZ (ver20/ptz/wsdl): one node, a few presets, continuous move and stop. The position is
// integrated from the velocity so GetStatus moves like a real head; the picture itself does not move.
import { elementText } from './soap';

const PRESETS = [
  { token: '1', name: '全景', pan: 0, tilt: 0, zoom: 0 },
  { token: '2', name: '路口', pan: 0.5, tilt: -0.2, zoom: 0.3 },
  { token: '3', name: '大门', pan: -0.6, tilt: -0.1, zoom: 0.5 },
];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class PtzState {
  private pos = { pan: 0, tilt: 0, zoom: 0 };
  private vel = { pan: 0, tilt: 0, zoom: 0 };
  private since = Date.now();
  moves = 0;

  position(now = Date.now()): { pan: number; tilt: number; zoom: number } {
    const dt = (now - this.since) / 1000;
    return {
      pan: clamp(this.pos.pan + this.vel.pan * dt * 0.5, -1, 1),
      tilt: clamp(this.pos.tilt + this.vel.tilt * dt * 0.5, -1, 1),
      zoom: clamp(this.pos.zoom + this.vel.zoom * dt * 0.5, 0, 1),
    };
  }

  moving(): boolean {
    return this.vel.pan !== 0 || this.vel.tilt !== 0 || this.vel.zoom !== 0;
  }

  move(v: { pan: number; tilt: number; zoom: number }): void {
    this.pos = this.position();
    this.since = Date.now();
    this.vel = { pan: clamp(v.pan, -1, 1), tilt: clamp(v.tilt, -1, 1), zoom: clamp(v.zoom, -1, 1) };
    this.moves++;
  }

  stop(): void {
    this.move({ pan: 0, tilt: 0, zoom: 0 });
  }

  goto(token: string): boolean {
    const p = PRESETS.find((q) => q.token === token);
    if (!p) return false;
    this.pos = { pan: p.pan, tilt: p.tilt, zoom: p.zoom };
    this.vel = { pan: 0, tilt: 0, zoom: 0 };
    this.since = Date.now();
    this.moves++;
    return true;
  }
}

const SPACE = 'http://www.onvif.org/ver10/tptz';

export function getNodes(): string {
  return '<tptz:GetNodesResponse><tptz:PTZNode token="PTZNode_1" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>' +
    '<tt:SupportedPTZSpaces>' +
    `<tt:ContinuousPanTiltVelocitySpace><tt:URI>${SPACE}/PanTiltSpaces/VelocityGenericSpace</tt:URI>` +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>' +
    '</tt:ContinuousPanTiltVelocitySpace>' +
    `<tt:ContinuousZoomVelocitySpace><tt:URI>${SPACE}/ZoomSpaces/VelocityGenericSpace</tt:URI>` +
    '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace>' +
    '</tt:SupportedPTZSpaces>' +
    `<tt:MaximumNumberOfPresets>${PRESETS.length}</tt:MaximumNumberOfPresets><tt:HomeSupported>false</tt:HomeSupported>` +
    '</tptz:PTZNode></tptz:GetNodesResponse>';
}

export function getConfigurations(): string {
  return '<tptz:GetConfigurationsResponse><tptz:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZConfig</tt:Name>' +
    '<tt:UseCount>1</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken></tptz:PTZConfiguration></tptz:GetConfigurationsResponse>';
}

export function getPresets(): string {
  return '<tptz:GetPresetsResponse>' +
    PRESETS.map((p) =>
      `<tptz:Preset token="${p.token}"><tt:Name>${p.name}</tt:Name><tt:PTZPosition>` +
      `<tt:PanTilt x="${p.pan}" y="${p.tilt}"/><tt:Zoom x="${p.zoom}"/></tt:PTZPosition></tptz:Preset>`).join('') +
    '</tptz:GetPresetsResponse>';
}

export function getStatus(ptz: PtzState): string {
  const p = ptz.position();
  const state = ptz.moving() ? 'MOVING' : 'IDLE';
  return '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>' +
    `<tt:PanTilt x="${p.pan.toFixed(3)}" y="${p.tilt.toFixed(3)}"/><tt:Zoom x="${p.zoom.toFixed(3)}"/></tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${state}</tt:PanTilt><tt:Zoom>${state}</tt:Zoom></tt:MoveStatus>` +
    `<tt:UtcTime>${new Date().toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`;
}

/** Reads <Velocity><PanTilt x= y=/><Zoom x=/></Velocity>. */
export function continuousMove(ptz: PtzState, body: string): string {
  const pt = /<(?:[\w.-]+:)?PanTilt\b([^>]*)\/?>/.exec(body)?.[1] ?? '';
  const zm = /<(?:[\w.-]+:)?Zoom\b([^>]*)\/?>/.exec(body)?.[1] ?? '';
  const attr = (s: string, name: string) => Number(new RegExp(`\\b${name}="([^"]*)"`).exec(s)?.[1] ?? 0) || 0;
  ptz.move({ pan: attr(pt, 'x'), tilt: attr(pt, 'y'), zoom: attr(zm, 'x') });
  return '<tptz:ContinuousMoveResponse/>';
}

export function stop(ptz: PtzState): string {
  ptz.stop();
  return '<tptz:StopResponse/>';
}

/** undefined when the preset does not exist (the caller answers with a fault). */
export function gotoPreset(ptz: PtzState, body: string): string | undefined {
  return ptz.goto(elementText(body, 'PresetToken') ?? '') ? '<tptz:GotoPresetResponse/>' : undefined;
}
