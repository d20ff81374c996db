// Placeholder: the devices view is being built (see its issue). Loaded lazily from the console page.
export function DevicesView() {
  return <section className="page-view" data-testid="devices-view" />;
}
