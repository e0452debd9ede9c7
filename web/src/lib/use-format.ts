import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import * as f from './format';

/**
 * Formatting bound to the interface language and the user's time zone:
 * `const fmt = useFormat(); fmt.money(deal.amount, deal.currency); fmt.dateTime(a.deadline)`.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const timeZone = useMe().data?.user.timeZone;
  const locale = i18n.language;
  return useMemo(
    () => ({
      locale,
      timeZone,
      money: (amountMinor: number, currency: string, opts?: f.MoneyOptions) => f.formatMoney(amountMinor, currency, locale, opts),
      moneySums: (sums: Array<{ currency: string; amount: number }>, opts?: f.MoneyOptions) => f.formatMoneySums(sums, locale, opts),
      /** «₽» for RUB: the unit beside a figure (a header, an input's suffix) */
      currencySymbol: (currency: string) => f.currencySymbol(currency, locale),
      number: (value: number | string, options?: Intl.NumberFormatOptions) => f.formatNumber(value, locale, options),
      percent: (fraction: number, digits?: number) => f.formatPercent(fraction, locale, digits),
      /** the `suffix` of a percent input: « %» or "%" */
      percentSuffix: f.percentSuffix(locale),
      date: (value: string | Date, style?: 'short' | 'medium' | 'long') => f.formatDate(value, locale, timeZone, style),
      dateTime: (value: string | Date) => f.formatDateTime(value, locale, timeZone),
      time: (value: string | Date) => f.formatTime(value, locale, timeZone),
      relative: (value: string | Date, now?: Date) => f.formatRelative(value, locale, now, timeZone),
      /** today's date (YYYY-MM-DD) in the user's time zone */
      today: () => f.dateInTimeZone(new Date(), timeZone),
    }),
    [locale, timeZone],
  );
}
