// A link just made: its URL (with a copy button) and QR code, and a 打印 button that prints only the QR card.
// The plain URL exists only in this answer — the server keeps a hash of its token — so the card says so.
import { useRef, useState } from 'react';
import type { CreatedShareLink } from '../../api/share-links-api';
import { useI18n } from '../../hooks/use-i18n';
import { copyText } from '../../lib/clipboard';
import { svgDataUrl } from '../../lib/share-links-logic';

interface Props {
  created: CreatedShareLink;
  unitPath: string | null;
  /** Revoked since (from the list): the card stays for reference but is no longer worth printing. */
  revoked: boolean;
  onDone: () => void;
}

export function CreatedLinkCard({ created, unitPath, revoked, onDone }: Props) {
  const { t, lang } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const { link, url, qrSvg } = created;
  const expires = new Date(link.expiresAt).toLocaleString(lang, { hour12: false });
  const input = useRef<HTMLInputElement>(null);

  return (
    <section className={`share-created${revoked ? ' revoked' : ''}`} data-testid="share-created" data-link-id={link.id}>
      <h3>{t('shareLinks.createdTitle')}</h3>
      <p className="share-once" role="note">
        {t('shareLinks.onlyOnce')}
      </p>
      {revoked && (
        <p className="danger" role="alert" data-testid="share-created-revoked">
          {t('shareLinks.createdRevoked')}
        </p>
      )}
      <div className="share-url-row">
        <input
          ref={input}
          readOnly
          data-testid="share-url"
          aria-label={t('shareLinks.url')}
          value={url}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="btn small"
          data-action="copy-url"
          onClick={() => void copyText(url, input.current).then((ok) => setCopied(ok ? 'yes' : 'no'))}
        >
          {t('shareLinks.copy')}
        </button>
      </div>
      <small className={copied === 'no' ? 'danger' : 'muted'} aria-live="polite">
        {copied === 'yes' ? t('shareLinks.copied') : copied === 'no' ? t('shareLinks.copyFailed') : ''}
      </small>

      {/* The card printed by 打印: everything else on the page is hidden in print (share-links.css). */}
      <div className="share-print-card" data-testid="share-print-card">
        <h4 className="share-print-unit">{link.orgUnitName}</h4>
        {unitPath && unitPath !== link.orgUnitName && <p className="share-print-path">{unitPath}</p>}
        <p className="share-print-label">{link.label}</p>
        {/* The SVG comes from our server; an <img> shows it without ever parsing it into the page. */}
        <img className="share-qr" data-testid="share-qr" src={svgDataUrl(qrSvg)} alt={t('shareLinks.qrAlt', { label: link.label })} />
        <p className="share-print-expiry">{t('shareLinks.printExpiry', { time: expires })}</p>
        <p className="share-print-note">{t('shareLinks.printNote')}</p>
      </div>

      <div className="share-form-actions">
        <button type="button" className="btn primary" data-action="print-qr" disabled={revoked} onClick={() => window.print()}>
          {t('shareLinks.print')}
        </button>
        <button type="button" className="btn" data-action="new-link" onClick={onDone}>
          {t('shareLinks.another')}
        </button>
      </div>
    </section>
  );
}
