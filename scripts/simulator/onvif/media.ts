// ONVIF media service (ver10/media/wsdl, Profile S): one main-stream profile describing the fixture the RTSP
// server really sends, so a VMS's expectations (codec, size, fps, bitrate) match the stream.
import { escapeXml as x } from './soap';
import type { OnvifCamera } from './types';

export const PROFILE_TOKEN = 'Profile_1';
const SOURCE_TOKEN = 'VideoSource_1';

function videoSourceConfiguration(cam: OnvifCamera): string {
  const v = cam.fixture.video;
  return '<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>1</tt:UseCount>' +
    `<tt:SourceToken>${SOURCE_TOKEN}</tt:SourceToken><tt:Bounds x="0" y="0" width="${v.width}" height="${v.height}"/>` +
    '</tt:VideoSourceConfiguration>';
}

function videoEncoderConfiguration(cam: OnvifCamera): string {
  const v = cam.fixture.video;
  // Media1's enumeration knows only JPEG/MPEG4/H264; cameras put "H265" there anyway, which is what VMSs read.
  const codecBlock = v.codec === 'H264'
    ? `<tt:H264><tt:GovLength>${Math.round(v.fps)}</tt:GovLength><tt:H264Profile>${v.profile.includes('Baseline') ? 'Baseline' : 'Main'}</tt:H264Profile></tt:H264>`
    : '';
  return '<tt:VideoEncoderConfiguration token="VideoEncoderConfig_1"><tt:Name>VideoEncoderConfig</tt:Name><tt:UseCount>1</tt:UseCount>' +
    `<tt:Encoding>${v.codec}</tt:Encoding><tt:Resolution><tt:Width>${v.width}</tt:Width><tt:Height>${v.height}</tt:Height></tt:Resolution>` +
    '<tt:Quality>4</tt:Quality>' +
    `<tt:RateControl><tt:FrameRateLimit>${v.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
    `<tt:BitrateLimit>${Math.max(v.bitrateKbps, 64)}</tt:BitrateLimit></tt:RateControl>` + codecBlock +
    '<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>' +
    '<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast><tt:SessionTimeout>PT60S</tt:SessionTimeout>' +
    '</tt:VideoEncoderConfiguration>';
}

function audioConfigurations(cam: OnvifCamera): string {
  const a = cam.fixture.audio;
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

function profile(cam: OnvifCamera, tag: string): string {
  return `<${tag} token="${PROFILE_TOKEN}" fixed="true"><tt:Name>mainStream</tt:Name>` +
    videoSourceConfiguration(cam) + audioConfigurations(cam) + videoEncoderConfiguration(cam) + ptzConfiguration(cam) +
    `</${tag}>`;
}

export function getProfiles(cam: OnvifCamera): string {
  return `<trt:GetProfilesResponse>${profile(cam, 'trt:Profiles')}</trt:GetProfilesResponse>`;
}

export function getProfile(cam: OnvifCamera): string {
  return `<trt:GetProfileResponse>${profile(cam, 'trt:Profile')}</trt:GetProfileResponse>`;
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

export function getStreamUri(cam: OnvifCamera): string {
  return `<trt:GetStreamUriResponse>${mediaUri(cam.rtspUrl)}</trt:GetStreamUriResponse>`;
}

export function getSnapshotUri(cam: OnvifCamera): string {
  return `<trt:GetSnapshotUriResponse>${mediaUri(cam.snapshotUrl)}</trt:GetSnapshotUriResponse>`;
}
