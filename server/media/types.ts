// Shared shapes of the media pipeline. Kept free of any RTSP/NMS or mediabunny type so either side can be replaced.

/**
 * What the relay machinery (RelayManager and below) knows a relay by: a number standing for one stream of one camera.
 * Only CameraRelays (camera-relays.ts) knows how it maps to a camera and stream; nothing below it calls it a camera.
 */
export type RelayId = number;

/** Where a camera's stream lives. The URL never carries credentials; they travel separately and only into the
 * RTSP Authorization header, so nothing that logs or displays a URL can leak them. */
export interface StreamSource {
  url: string;
  username?: string;
  password?: string;
  /** Device playback (ONVIF Profile G replay): PLAY asks for this Range (e.g. `clock=20261207T101500Z-`)... */
  playRange?: string;
  /** ...and this Scale (2 = twice real time); live sources leave both unset (`npt=0.000-`). */
  scale?: number;
}

export type VideoCodec = 'h264' | 'h265';
export type AudioCodec = 'aac' | 'pcma' | 'pcmu' | 'other';

export interface VideoTrackDesc {
  kind: 'video';
  codec: VideoCodec | 'other';
  rtpCodec: string;
  payloadType: number;
  clockRate: number;
  /** fmtp parameters with lower-cased keys (cameras disagree on case). */
  fmtp: Record<string, string>;
}

export interface AudioTrackDesc {
  kind: 'audio';
  codec: AudioCodec;
  rtpCodec: string;
  payloadType: number;
  clockRate: number;
  channels: number;
  fmtp: Record<string, string>;
}

export type TrackDesc = VideoTrackDesc | AudioTrackDesc;

/** One decodable video picture: every NAL unit of one RTP timestamp, in Annex-B form. */
export interface VideoAccessUnit {
  /** Presentation time in seconds on this session's timeline (B-frames arrive out of presentation order). */
  pts: number;
  key: boolean;
  /** Annex-B byte stream; key frames carry their parameter sets in band. */
  data: Uint8Array;
}

export interface AudioFrame {
  pts: number;
  /** A raw AAC frame (no ADTS header), or a G.711 RTP payload (8-bit samples). */
  data: Uint8Array;
}

/** Why a camera is unavailable, as reported in status events and errors. */
export type UnavailableReason =
  | 'timeout'
  | 'unauthorized'
  | 'refused'
  | 'unreachable'
  | 'not found'
  | 'stalled'
  | 'closed'
  | 'protocol error'
  /** A pushed (RTMP) camera whose device is not publishing now. */
  | 'not publishing'
  | `unsupported codec ${string}`;
