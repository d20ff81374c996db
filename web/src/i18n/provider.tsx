import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nContext, type I18nValue } from './context';
import { loadLang, saveLang, translate, type Lang } from './index';

const storage = typeof window === 'undefined' ? undefined : window.localStorage;

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => loadLang(storage));

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.name');
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    saveLang(storage, next);
    setLangState(next);
  }, []);

  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      toggleLang: () => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN'),
      t: (key, params) => translate(lang, key, params),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
