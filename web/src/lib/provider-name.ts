import type { TFunction } from 'i18next';

/** A messaging provider's name as Settings → «Рассылки» shows it («SMS.ru», «только журнал»); an unknown one as it is. */
export const providerName = (t: TFunction, kind: string): string => t(`settings.messaging.test.via.${kind}`, { defaultValue: kind });
