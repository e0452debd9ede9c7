import { SegmentedControl, type MantineBreakpoint } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSetLanguage } from '../auth/session';
import { isLanguage } from '../i18n';
import { notifyError } from '../lib/errors';

/** RU | EN. Switches at once; when logged in, also saves the choice in the user's profile. */
export function LanguageSwitch({ visibleFrom }: { visibleFrom?: MantineBreakpoint }) {
  const { t, i18n } = useTranslation();
  const setLanguage = useSetLanguage();
  return (
    <SegmentedControl
      visibleFrom={visibleFrom}
      size="xs"
      aria-label={t('language.label')}
      data-testid="language-switch"
      value={i18n.language}
      onChange={(value) => {
        if (isLanguage(value)) setLanguage.mutate(value, { onError: (e) => notifyError(t, e) });
      }}
      data={[
        { value: 'ru', label: <span lang="ru" title={t('language.ru')}>RU</span> },
        { value: 'en', label: <span lang="en" title={t('language.en')}>EN</span> },
      ]}
    />
  );
}
