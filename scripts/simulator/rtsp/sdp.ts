// SDP for DESCRIBE (RFC 4566): one video track, optionally one audio track, with the fmtp clients need to
// configure decoders before the first packet (sprop-parameter-sets, AAC `config`).
import type { AudioTrack, VideoTrack } from '../fixtures';

export interface SdpInput {
  host: string;
  sessionId: string;
  title: string;
  video: VideoTrack;
  audio?: AudioTrack;
}

export function buildSdp({ host, sessionId, title, video, audio }: SdpInput): string {
  const lines = [
    'v=0',
    `o=- ${sessionId} 1 IN IP4 ${host}`,
    // The session name stays ASCII like most cameras'; the (Chinese) camera name goes into i=.
    's=Media Presentation',
    `i=${title}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'a=range:npt=0-',
    `m=video 0 RTP/AVP ${video.payloadType}`,
    `a=rtpmap:${video.rtpmap}`,
    `a=fmtp:${video.fmtp}`,
    `a=framerate:${video.fps}`,
    'a=recvonly',
    'a=control:trackID=0',
  ];
  if (audio) {
    lines.push(`m=audio 0 RTP/AVP ${audio.payloadType}`, `a=rtpmap:${audio.rtpmap}`);
    if (audio.fmtp) lines.push(`a=fmtp:${audio.fmtp}`);
    lines.push('a=recvonly', 'a=control:trackID=1');
  }
  return lines.join('\r\n') + '\r\n';
}
