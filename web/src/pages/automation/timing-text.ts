import { useTranslation } from 'react-i18next';

/** A robot's timing in words: «Сразу», «Через 2 ч (рабочее время)», «За 1 дн. до Дата закрытия», «В 09:00», «После предыдущего». */
export function useTimingText() {
  const { t } = useTranslation();
  return (timing: Record<string, unknown>): string => {
    const n = Number(timing.amount ?? 0);
    const unit = t(`automation.timing.short.${String(timing.unit ?? 'minutes')}`);
    const working = timing.workingTime ? ` ${t('automation.timing.inWorkingTime')}` : '';
    switch (timing.kind) {
      case 'delay':
        return t('automation.timing.text.delay', { n, unit }) + working;
      case 'field':
        return (
          t(`automation.timing.text.${timing.direction === 'after' ? 'fieldAfter' : 'fieldBefore'}`, {
            n,
            unit,
            field: t(`automation.fields.${String(timing.field)}`, { defaultValue: String(timing.field) }),
          }) + (timing.at ? ` ${t('automation.timing.text.at', { at: String(timing.at) })}` : '')
        );
      case 'time_of_day':
        return t('automation.timing.text.at', { at: String(timing.at) }) + (timing.workingDays ? ` ${t('automation.timing.onWorkingDays')}` : '');
      case 'after_previous':
        return n > 0 ? t('automation.timing.text.afterPreviousDelay', { n, unit }) + working : t('automation.timing.text.afterPrevious');
      default:
        return t('automation.timing.text.immediate');
    }
  };
}
