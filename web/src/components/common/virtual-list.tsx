// A minimal fixed-row-height virtual list: only the rows in view (plus overscan) are in the DOM.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { visibleRange } from '../../lib/virtual';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  getKey: (item: T) => string | number;
  renderRow: (item: T, index: number) => ReactNode;
  /** Rendered after the last row (e.g. a "load more" button), inside the scroller. */
  footer?: ReactNode;
  className?: string;
  ariaLabel?: string;
  role?: string;
}

export function VirtualList<T>({ items, rowHeight, getKey, renderRow, footer, className, ariaLabel, role }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { start, end } = visibleRange(scrollTop, height, rowHeight, items.length);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div key={getKey(items[i])} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(items[i], i)}
      </div>,
    );
  }

  return (
    <div ref={ref} className={`vlist ${className ?? ''}`} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} aria-label={ariaLabel} role={role}>
      <div className="vlist-body" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
      {footer}
    </div>
  );
}
