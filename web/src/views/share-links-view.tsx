// Placeholder: the share-links view is being built (see its issue). Loaded lazily from the console page.
export function ShareLinksView() {
  return <section className="page-view" data-testid="share-links-view" />;
}
