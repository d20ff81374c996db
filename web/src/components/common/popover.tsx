// A button that opens a small panel below it; a click outside or Esc closes it.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  label: ReactNode;
  title?: string;
  testId?: string;
  buttonClass?: string;
  disabled?: boolean;
  align?: 'left' | 'right';
  children: (close: () => void) => ReactNode;
}

export function Popover({ label, title, testId, buttonClass = 'btn small', disabled, align = 'left', children }: Props) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  return (
    <div className="popover-anchor" ref={ref}>
      <button type="button" className={buttonClass} title={title} aria-expanded={open} data-testid={testId} disabled={disabled} onClick={() => setOpen((o) => !o)}>
        {label}
      </button>
      {open && (
        <div
          className={`popover ${align}`}
          role="dialog"
          aria-label={title}
          onKeyDown={(e) => {
            e.stopPropagation(); // typing a layout name must not switch the wall layout
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
