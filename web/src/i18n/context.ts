import { createContext } from 'react';
import { DEFAULT_LANG, translate, type Lang, type Translate } from './index';

export interface I18nValue {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
  toggleLang: () => void;
}

export const I18nContext = createContext<I18nValue>({
  lang: DEFAULT_LANG,
  t: (key, params) => translate(DEFAULT_LANG, key, params),
  setLang: () => {},
  toggleLang: () => {},
});
