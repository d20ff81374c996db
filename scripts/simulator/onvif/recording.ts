// ONVIF Profile G (ver10/recording, search, replay): each camera "records on its SD card" — one recording of its
// main stream from `recording.startMs` (24 h before the camera started) up to now. Replay is the RTSP server's
// `/recording` path, which plays the looped fixture from the time asked in `Range: clock=` (see rtsp/server.ts).
import { elementText, escapeXml as x } from './soap';
import type { OnvifCamera } from './types';

export const RECORDING_TOKEN = 'Recording_1';
export const REPLAY_PATH = '/recording';
export const RECORDING_SPAN_MS = 24 * 3600_000;

/** xs:dateTime, whole seconds, UTC (what cameras send). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function span(cam: OnvifCamera, now = Date.now()): { from: string; until: string } {
  return { from: isoSeconds(cam.recording.startMs), until: isoSeconds(now) };
}

function track(): string {
  return '<tt:Track><tt:TrackToken>VIDEO001</tt:TrackToken><tt:Configuration><tt:TrackType>Video</tt:TrackType>' +
    '<tt:Description>main stream</tt:Description></tt:Configuration></tt:Track>';
}

export function getRecordings(cam: OnvifCamera): string {
  return '<trc:GetRecordingsResponse><trc:RecordingItem>' +
    `<tt:RecordingToken>${RECORDING_TOKEN}</tt:RecordingToken>` +
    '<tt:Configuration><tt:Source><tt:SourceId>VideoSource_1</tt:SourceId>' +
    `<tt:Name>${x(cam.spec.name)}</tt:Name><tt:Location>${x(cam.spec.orgUnitCode)}</tt:Location>` +
    '<tt:Description>SD card</tt:Description><tt:Address></tt:Address></tt:Source>' +
    '<tt:Content>continuous</tt:Content><tt:MaximumRetentionTime>PT0S</tt:MaximumRetentionTime></tt:Configuration>' +
    `<tt:Tracks>${track()}</tt:Tracks>` +
    '</trc:RecordingItem></trc:GetRecordingsResponse>';
}

export function getRecordingSummary(cam: OnvifCamera): string {
  const s = span(cam);
  return `<tse:GetRecordingSummaryResponse><tse:Summary><tt:DataFrom>${s.from}</tt:DataFrom>` +
    `<tt:DataUntil>${s.until}</tt:DataUntil><tt:NumberRecordings>1</tt:NumberRecordings></tse:Summary></tse:GetRecordingSummaryResponse>`;
}

/** undefined: an unknown recording token. */
export function getRecordingInformation(cam: OnvifCamera, body: string): string | undefined {
  if (elementText(body, 'RecordingToken') !== RECORDING_TOKEN) return undefined;
  const s = span(cam);
  return '<tse:GetRecordingInformationResponse><tse:RecordingInformation>' +
    `<tt:RecordingToken>${RECORDING_TOKEN}</tt:RecordingToken>` +
    `<tt:Source><tt:SourceId>VideoSource_1</tt:SourceId><tt:Name>${x(cam.spec.name)}</tt:Name><tt:Location></tt:Location>` +
    '<tt:Description></tt:Description><tt:Address></tt:Address></tt:Source>' +
    `<tt:EarliestRecording>${s.from}</tt:EarliestRecording><tt:LatestRecording>${s.until}</tt:LatestRecording>` +
    '<tt:Content>continuous</tt:Content>' +
    `<tt:Track><tt:TrackToken>VIDEO001</tt:TrackToken><tt:TrackType>Video</tt:TrackType><tt:Description>main stream</tt:Description>` +
    `<tt:DataFrom>${s.from}</tt:DataFrom><tt:DataTo>${s.until}</tt:DataTo></tt:Track>` +
    '<tt:RecordingStatus>Recording</tt:RecordingStatus></tse:RecordingInformation></tse:GetRecordingInformationResponse>';
}

/** undefined: an unknown recording token. The URI never carries credentials (RTSP asks for them). */
export function getReplayUri(cam: OnvifCamera, body: string): string | undefined {
  if (elementText(body, 'RecordingToken') !== RECORDING_TOKEN) return undefined;
  return `<trp:GetReplayUriResponse><trp:Uri>${x(cam.recording.replayUrl)}</trp:Uri></trp:GetReplayUriResponse>`;
}
