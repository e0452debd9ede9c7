import type { TFunction } from 'i18next';
import type { Schemas } from '../../api/types';

// The words of the automation log (AutomationLog.tsx), apart from the screen so that they can be tested.

export type Run = Schemas['RobotRun'];

/** A day (YYYY-MM-DD) as the start of that day in the browser's time, ISO; `next` the start of the day after. */
export function dayStart(day: string, next = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** The run's status in words: «ожидает до …», «ошибка: …, попыток N, следующая попытка в …». */
export function statusText(t: TFunction, run: Run, dateTime: (v: string) => string): string {
  switch (run.status) {
    case 'waiting':
      if (run.nextAttemptAt) return t('automationLog.status.retrying', { error: run.lastError ?? '—', attempts: run.attempts, at: dateTime(run.nextAttemptAt) });
      return run.dueAt ? t('automationLog.status.waitingUntil', { at: dateTime(run.dueAt) }) : run.afterRunId ? t('automationLog.status.waitingPrevious') : t('automationLog.status.waiting');
    case 'done':
      return t('automationLog.status.done');
    case 'skipped':
      return t('automationLog.status.skipped', { reason: run.reason ?? '—' });
    case 'cancelled':
      return run.reason ? t('automationLog.status.cancelledBecause', { reason: run.reason }) : t('automationLog.status.cancelled');
    case 'failed':
      return t('automationLog.status.failed', { error: run.error ?? run.lastError ?? '—', attempts: run.attempts });
    case 'uncertain':
      return t('automationLog.status.uncertain', { reason: run.error ?? run.reason ?? run.lastError ?? '—' });
  }
}

/** How long the oldest due job has waited, in the unit that reads best. */
export function lagText(t: TFunction, ms: number): string {
  if (ms < 1000) return t('automationLog.health.lagMs', { n: ms });
  if (ms < 120_000) return t('automationLog.health.lagSeconds', { n: Math.round(ms / 1000) });
  if (ms < 2 * 3_600_000) return t('automationLog.health.lagMinutes', { n: Math.round(ms / 60_000) });
  return t('automationLog.health.lagHours', { n: Math.round(ms / 3_600_000) });
}
