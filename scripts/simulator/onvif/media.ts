// ONVIF media service (ver10/media/wsdl, Profile S): two profiles, the main stream (`Profile_1`, RTSP /stream1)
// and the sub-stream (子码流, `Profile_2`, /stream2), each with its own video encoder configuration describing the
// fixture the RTSP server really sends, so a VMS's expectations (codec, size, fps, bitrate) match the stream.
import type { Fixture } from '../fixtures';
import { elementText, escapeXml as x } from './soap';
import type { OnvifCamera } from './types';

export const PROFILE_TOKEN = 'Profile_1';
export const SUB_PROFILE_TOKEN = 'Profile_2';
const SOURCE_TOKEN = 'VideoSource_1';

interface StreamProfile { token: string; name: string; encoderToken: string; fixture: Fixture; uri: string }

function streamProfiles(cam: OnvifCamera): StreamProfile[] {
  return [
    { token: PROFILE_TOKEN, name: 'mainStream', encoderToken: 'VideoEncoderConfig_1', fixture: cam.fixture, uri: cam.rtspUrl },
    { token: SUB_PROFILE_TOKEN, name: 'subStream', encoderToken: 'VideoEncoderConfig_2', fixture: cam.subFixture, uri: cam.subStreamUrl },
  ];
}

/** The profile a request names in `ProfileToken`; none named means the main one (lenient, as many cameras). */
function requested(cam: OnvifCamera, body: string): StreamProfile | undefined {
  const token = elementText(body, 'ProfileToken');
  const all = streamProfiles(cam);
  return token ? all.find((p) => p.token === token) : all[0];
}

/** Both profiles encode the one sensor, so they share its source configuration (bounds: the main stream's size). */
function videoSourceConfiguration(cam: OnvifCamera): string {
  const v = cam.fixture.video;
  return '<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>2</tt:UseCount>' +
    `<tt:SourceToken>${SOURCE_TOKEN}</tt:SourceToken><tt:Bounds x="0" y="0" width="${v.width}" height="${v.height}"/>` +
    '</tt:VideoSourceConfiguration>';
}

function videoEncoderConfiguration(p: StreamProfile): string {
  const v = p.fixture.video;
  // Media1's enumeration knows only JPEG/MPEG4/H264; cameras put "H265" there anyway, which is what VMSs read.
  const codecBlock = v.codec === 'H264'
    ? `<tt:H264><tt:GovLength>${Math.round(v.fps)}</tt:GovLength><tt:H264Profile>${v.profile.includes('Baseline') ? 'Baseline' : 'Main'}</tt:H264Profile></tt:H264>`
    : '';
  return `<tt:VideoEncoderConfiguration token="${p.encoderToken}"><tt:Name>${p.encoderToken}</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:Encoding>${v.codec}</tt:Encoding><tt:Resolution><tt:Width>${v.width}</tt:Width><tt:Height>${v.height}</tt:Height></tt:Resolution>` +
    '<tt:Quality>4</tt:Quality>' +
    `<tt:RateControl><tt:FrameRateLimit>${v.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
    `<tt:BitrateLimit>${Math.max(v.bitrateKbps, 64)}</tt:BitrateLimit></tt:RateControl>` + codecBlock +
    '<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>' +
    '<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast><tt:SessionTimeout>PT60S</tt:SessionTimeout>' +
    '</tt:VideoEncoderConfiguration>';
}

function audioConfigurations(p: StreamProfile): string {
  const a = p.fixture.audio;
  if (!a) return '';
  return '<tt:AudioSourceConfiguration token="AudioSourceConfig_1"><tt:Name>AudioSourceConfig</tt:Name><tt:UseCount>1</tt:UseCount>' +
    '<tt:SourceToken>AudioSource_1</tt:SourceToken></tt:AudioSourceConfiguration>' +
    '<tt:AudioEncoderConfiguration token="AudioEncoderConfig_1"><tt:Name>AudioEncoderConfig</tt:Name><tt:UseCount>1</tt:UseCount>' +
    `<tt:Encoding>${a.codec === 'AAC' ? 'AAC' : 'G711'}</tt:Encoding><tt:Bitrate>${a.codec === 'AAC' ? 48 : 64}</tt:Bitrate>` +
    `<tt:SampleRate>${a.clockRate / 1000}</tt:SampleRate><tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:AudioEncoderConfiguration>`;
}

function ptzConfiguration(cam: OnvifCamera): string {
  if (!cam.spec.ptz) return '';
  return '<tt:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZConfig</tt:Name><tt:UseCount>1</tt:UseCount>' +
    '<tt:NodeToken>PTZNode_1</tt:NodeToken>' +
    '<tt:DefaultContinuousPanTiltVelocitySpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>' +
    '<tt:DefaultContinuousZoomVelocitySpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:DefaultContinuousZoomVelocitySpace>' +
    '<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout></tt:PTZConfiguration>';
}

function profile(cam: OnvifCamera, p: StreamProfile, tag: string): string {
  return `<${tag} token="${p.token}" fixed="true"><tt:Name>${p.name}</tt:Name>` +
    videoSourceConfiguration(cam) + audioConfigurations(p) + videoEncoderConfiguration(p) + ptzConfiguration(cam) +
    `</${tag}>`;
}

export function getProfiles(cam: OnvifCamera): string {
  return `<trt:GetProfilesResponse>${streamProfiles(cam).map((p) => profile(cam, p, 'trt:Profiles')).join('')}</trt:GetProfilesResponse>`;
}

/** undefined: no such profile token (the server answers ter:NoProfile). */
export function getProfile(cam: OnvifCamera, body: string): string | undefined {
  const p = requested(cam, body);
  return p && `<trt:GetProfileResponse>${profile(cam, p, 'trt:Profile')}</trt:GetProfileResponse>`;
}

export function getVideoSources(cam: OnvifCamera): string {
  const v = cam.fixture.video;
  return `<trt:GetVideoSourcesResponse><trt:VideoSources token="${SOURCE_TOKEN}"><tt:Framerate>${v.fps}</tt:Framerate>` +
    `<tt:Resolution><tt:Width>${v.width}</tt:Width><tt:Height>${v.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
}

function mediaUri(uri: string): string {
  return `<trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
    '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>';
}

/** The profile's own RTSP URI (never with credentials); undefined: no such profile token. */
export function getStreamUri(cam: OnvifCamera, body: string): string | undefined {
  const p = requested(cam, body);
  return p && `<trt:GetStreamUriResponse>${mediaUri(p.uri)}</trt:GetStreamUriResponse>`;
}

export function getSnapshotUri(cam: OnvifCamera): string {
  return `<trt:GetSnapshotUriResponse>${mediaUri(cam.snapshotUrl)}</trt:GetSnapshotUriResponse>`;
}
