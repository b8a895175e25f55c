import { sv } from './sv.js';
import { en } from './en.js';

export type Texts = typeof sv;
export type Locale = 'sv' | 'en';

/** Swedish unless the user's Teams locale is English. */
export function localeOf(teamsLocale: string | undefined): Locale {
  return teamsLocale && /^en\b/i.test(teamsLocale) ? 'en' : 'sv';
}

export function textsFor(locale: Locale | string | undefined): Texts {
  const l = locale === 'en' || locale === 'sv' ? locale : localeOf(locale);
  return l === 'en' ? en : sv;
}

export { sv, en };
