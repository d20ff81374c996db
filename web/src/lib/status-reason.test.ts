import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { reasonText } from './status-reason';

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh-CN', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);

describe('reasonText', () => {
  it('folds the relay, probe and ONVIF spellings of one reason together', () => {
    expect(reasonText('not found', zh)).toBe(reasonText('not-found', zh));
    expect(reasonText('unauthorized', zh)).toBe(reasonText('not-authorized', zh));
    expect(reasonText('protocol error', en)).toBe(reasonText('bad-response', en));
    expect(reasonText('stalled', zh)).not.toBe('stalled');
  });

  it('names the codec it cannot play, and shows an unknown reason as it came', () => {
    expect(reasonText('unsupported codec mjpeg', en)).toContain('mjpeg');
    expect(reasonText('unsupported codec mjpeg', zh)).toContain('mjpeg');
    expect(reasonText('a new kind of trouble', zh)).toBe('a new kind of trouble');
  });

  it('has words in both languages for every reason it knows', () => {
    for (const reason of ['timeout', 'unauthorized', 'refused', 'unreachable', 'not found', 'stalled', 'closed', 'protocol error', 'not-rtsp', 'not-onvif', 'no-video', 'error']) {
      expect(reasonText(reason, zh), reason).not.toBe(reason);
      expect(reasonText(reason, en), reason).not.toBe(reasonText(reason, zh));
    }
  });
});
