import type { Network } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  networks: readonly Network[];
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function NetworkChips({ networks, selected, onSelect }: Props) {
  const { t, lang } = useI18n();
  if (networks.length === 0) return null;
  return (
    <div className="chips" role="group" aria-label={t('tree.networkFilter')}>
      <button type="button" className="chip" aria-pressed={selected === null} onClick={() => onSelect(null)}>
        {t('tree.allNetworks')}
      </button>
      {networks.map((n) => (
        <button
          key={n.key}
          type="button"
          className="chip"
          aria-pressed={selected === n.key}
          data-network={n.key}
          style={{ ['--net' as string]: n.color }}
          onClick={() => onSelect(n.key)}
        >
          <span className="net-dot" aria-hidden />
          {lang === 'en' ? n.nameEn : n.name}
        </button>
      ))}
    </div>
  );
}
