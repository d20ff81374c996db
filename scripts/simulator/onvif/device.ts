// ONVIF device service (ver10/device/wsdl): what a VMS asks first to identify a camera and find its services.
import { escapeXml as x } from './soap';
import type { OnvifCamera } from './types';

export const MANUFACTURER = 'SimCam';
export const FIRMWARE = 'V5.7.3 build 251123';

export function modelOf(cam: OnvifCamera): string {
  const v = cam.fixture.video;
  return `SC-IPC-${v.codec}-${v.height}P${cam.spec.ptz ? '-PTZ' : ''}`;
}

export function getSystemDateAndTime(now = new Date()): string {
  // China Standard Time, no DST: cameras in a county centre report CST-8 and NTP.
  const local = new Date(now.getTime() + 8 * 3600_000);
  const dt = (d: Date) =>
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`;
  return '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
    '<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
    '<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>' +
    `<tt:UTCDateTime>${dt(now)}</tt:UTCDateTime><tt:LocalDateTime>${dt(local)}</tt:LocalDateTime>` +
    '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>';
}

export function getDeviceInformation(cam: OnvifCamera): string {
  return '<tds:GetDeviceInformationResponse>' +
    `<tds:Manufacturer>${MANUFACTURER}</tds:Manufacturer><tds:Model>${x(modelOf(cam))}</tds:Model>` +
    `<tds:FirmwareVersion>${FIRMWARE}</tds:FirmwareVersion><tds:SerialNumber>${x(cam.spec.id)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(hardwareId(cam))}</tds:HardwareId>` +
    '</tds:GetDeviceInformationResponse>';
}

export function hardwareId(cam: OnvifCamera): string {
  return `SC-HW-${cam.fixture.video.codec}-${cam.fixture.video.width}x${cam.fixture.video.height}`;
}

function service(ns: string, xaddr: string, major: number, minor: number): string {
  return `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x(xaddr)}</tds:XAddr>` +
    `<tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`;
}

export function getServices(cam: OnvifCamera): string {
  return '<tds:GetServicesResponse>' +
    service('http://www.onvif.org/ver10/device/wsdl', cam.xaddr('device'), 2, 60) +
    service('http://www.onvif.org/ver10/media/wsdl', cam.xaddr('media'), 2, 60) +
    (cam.spec.ptz ? service('http://www.onvif.org/ver20/ptz/wsdl', cam.xaddr('ptz'), 2, 60) : '') +
    // Profile G: the camera records on its SD card (onvif/recording.ts).
    service('http://www.onvif.org/ver10/recording/wsdl', cam.xaddr('recording'), 2, 60) +
    service('http://www.onvif.org/ver10/search/wsdl', cam.xaddr('search'), 2, 60) +
    service('http://www.onvif.org/ver10/replay/wsdl', cam.xaddr('replay'), 2, 60) +
    '</tds:GetServicesResponse>';
}

export function getCapabilities(cam: OnvifCamera): string {
  return '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${x(cam.xaddr('device'))}</tt:XAddr>` +
    '<tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>' +
    '<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>' +
    '<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>false</tt:DiscoveryBye>' +
    '<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>' +
    '<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>' +
    '<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System>' +
    '<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>' +
    '<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken>' +
    '<tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>' +
    `<tt:Media><tt:XAddr>${x(cam.xaddr('media'))}</tt:XAddr><tt:StreamingCapabilities>` +
    '<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>' +
    '</tt:StreamingCapabilities></tt:Media>' +
    (cam.spec.ptz ? `<tt:PTZ><tt:XAddr>${x(cam.xaddr('ptz'))}</tt:XAddr></tt:PTZ>` : '') +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>';
}

export function scopes(cam: OnvifCamera): string[] {
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    'onvif://www.onvif.org/Profile/G',
    ...(cam.spec.ptz ? ['onvif://www.onvif.org/type/ptz'] : []),
    `onvif://www.onvif.org/name/${encodeURIComponent(cam.spec.name)}`,
    `onvif://www.onvif.org/location/${encodeURIComponent(cam.spec.orgUnitCode)}`,
    `onvif://www.onvif.org/hardware/${encodeURIComponent(modelOf(cam))}`,
  ];
}

export function getScopes(cam: OnvifCamera): string {
  return '<tds:GetScopesResponse>' +
    scopes(cam).map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`).join('') +
    '</tds:GetScopesResponse>';
}

export function getHostname(cam: OnvifCamera): string {
  return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${x(cam.spec.id)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`;
}
