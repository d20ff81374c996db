// The configured camera networks (天网, 雪亮, …) as a select, labelled in the current language.
import { useContext } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { NetworksContext } from '../../hooks/use-networks-context';

interface Props {
  value: string;
  onChange: (key: string) => void;
  testId: string;
  /** Label of the empty choice ("all networks" in a filter, "choose" in a form). */
  emptyLabel: string;
}

export function NetworkSelect({ value, onChange, testId, emptyLabel }: Props) {
  const { lang } = useI18n();
  const networks = useContext(NetworksContext);
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {[...networks.values()].map((n) => (
        <option key={n.key} value={n.key}>
          {lang === 'en' ? n.nameEn : n.name}
        </option>
      ))}
    </select>
  );
}

export function useNetworkLabel(): (key: string) => string {
  const { lang } = useI18n();
  const networks = useContext(NetworksContext);
  return (key) => {
    const n = networks.get(key);
    return n ? (lang === 'en' ? n.nameEn : n.name) : key;
  };
}
