// Placeholder: the audit view is being built (see its issue). Loaded lazily from the console page.
export function AuditView() {
  return <section className="page-view" data-testid="audit-view" />;
}
