// Why a camera is offline, in the operator's language. Reasons come from three places with their own spelling:
// the relay ('not found', 'protocol error', 'unsupported codec mjpeg'), the health checker's RTSP probe
// ('not-found', 'bad-response', 'no-video') and ONVIF interrogation ('not-authorized', 'not-onvif'). They are
// folded to one key here; a reason this list does not know is shown as it came.
import type { MessageKey, Translate } from '../i18n';

const KEYS: Record<string, MessageKey> = {
  timeout: 'reason.timeout',
  unauthorized: 'reason.unauthorized',
  'not-authorized': 'reason.unauthorized',
  refused: 'reason.refused',
  unreachable: 'reason.unreachable',
  'not-found': 'reason.notFound',
  stalled: 'reason.stalled',
  closed: 'reason.closed',
  'protocol-error': 'reason.badResponse',
  'bad-response': 'reason.badResponse',
  'not-rtsp': 'reason.notRtsp',
  'not-onvif': 'reason.notOnvif',
  'no-video': 'reason.noVideo',
  error: 'reason.error',
  'not-publishing': 'reason.notPublishing',
};

export function reasonText(reason: string, t: Translate): string {
  const codec = /^unsupported codec (.+)$/.exec(reason);
  if (codec) return t('reason.unsupportedCodec', { codec: codec[1]! });
  const key = KEYS[reason.trim().toLowerCase().replace(/[\s_]+/g, '-')];
  return key ? t(key) : reason;
}
