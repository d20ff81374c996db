import { useEffect, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  onSearch: (q: string) => void;
  delayMs?: number;
}

/** Debounced search input: the camera list follows what is typed without a request per keystroke. */
export function SearchBox({ onSearch, delayMs = 300 }: Props) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => onSearch(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs, onSearch]);

  return (
    <div className="search">
      <input
        type="search"
        value={value}
        maxLength={100}
        placeholder={t('tree.search')}
        aria-label={t('tree.search')}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setValue('');
        }}
      />
      {value && (
        <button type="button" className="search-clear" title={t('tree.searchClear')} aria-label={t('tree.searchClear')} onClick={() => setValue('')}>
          ×
        </button>
      )}
    </div>
  );
}
