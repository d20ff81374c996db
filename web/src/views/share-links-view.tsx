// 居民链接 (issue #8): township and county staff make resident links for a compound's public-area cameras, print
// their QR codes, watch who uses them and revoke them. The server scopes everything to the user's area.
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/http';
import { shareLinksApi, type CreatedShareLink, type ShareLink } from '../api/share-links-api';
import { CreatedLinkCard } from '../components/share/created-link-card';
import { ShareLinkForm } from '../components/share/share-link-form';
import { ShareLinkList } from '../components/share/share-link-list';
import { ancestorChain } from '../components/tree/tree-state';
import { useI18n } from '../hooks/use-i18n';
import { useNow } from '../hooks/use-now';
import { useOrgTree } from '../hooks/use-org-tree';
import { formatPath, type StatusFilter } from '../lib/share-links-logic';
import '../styles/share-links.css';
import { unitLabel } from '../lib/org-logic';

/** Viewer counts and statuses move on their own: re-read the list this often while the view is open. */
const REFRESH_MS = 15_000;

export function ShareLinksView() {
  const { t, lang } = useI18n();
  const tree = useOrgTree();
  const now = useNow(REFRESH_MS);
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [filter, setFilter] = useState<StatusFilter>('active');
  const [created, setCreated] = useState<CreatedShareLink | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    shareLinksApi.list(undefined, abort.signal).then(
      (list) => {
        setLinks(list);
        setListError(null);
      },
      (err: unknown) => !abort.signal.aborted && setListError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out: a language switch needs no new list.
  }, [now, reload]);

  /** A unit's path from the loaded part of the org tree; null when the tree has not reached it. */
  const pathOf = useCallback(
    (unitId: number) => {
      const chain = ancestorChain(tree.tree, unitId);
      if (chain.ids.length === 0) return null;
      return formatPath(chain.ids.reverse().map((id) => unitLabel(tree.tree.units.get(id)!, lang)));
    },
    [tree.tree, lang],
  );

  const onCreated = useCallback((c: CreatedShareLink) => {
    setCreated(c);
    setLinks((list) => (list ? [c.link, ...list.filter((l) => l.id !== c.link.id)] : list));
    setReload((n) => n + 1);
  }, []);

  const onRevoke = useCallback(async (id: number) => {
    const revoked = await shareLinksApi.revoke(id);
    // The answer is the revoked link: show it at once, then re-read for anything else that changed.
    setLinks((list) => list && list.map((l) => (l.id === id ? revoked : l)));
    setReload((n) => n + 1);
  }, []);

  return (
    <section className="page-view share-links-view" data-testid="share-links-view" aria-label={t('shareLinks.title')}>
      <header className="share-head">
        <h2>{t('shareLinks.title')}</h2>
        <p className="muted">{t('shareLinks.intro')}</p>
      </header>
      <div className="share-layout">
        <div className="share-side">
          {created ? (
            <CreatedLinkCard
              created={created}
              unitPath={pathOf(created.link.orgUnitId)}
              revoked={links?.some((l) => l.id === created.link.id && l.revokedAt !== null) ?? false}
              onDone={() => setCreated(null)}
            />
          ) : (
            <ShareLinkForm tree={tree} pathOf={pathOf} onCreated={onCreated} />
          )}
        </div>
        <ShareLinkList links={links} error={listError} now={now} filter={filter} onFilter={setFilter} pathOf={pathOf} onRevoke={onRevoke} />
      </div>
    </section>
  );
}
