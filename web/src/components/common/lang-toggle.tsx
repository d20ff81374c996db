import { useI18n } from '../../hooks/use-i18n';

export function LangToggle() {
  const { t, toggleLang } = useI18n();
  return (
    <button type="button" className="btn ghost small lang-toggle" title={t('lang.toggleTitle')} onClick={toggleLang}>
      {t('lang.toggle')}
    </button>
  );
}
