import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import ru from '../../i18n/ru.json';
import en from '../../i18n/en.json';
import { changesOf, formOf, type Settings } from './messaging-logic';
import { dayStart, lagText, statusText, type Run } from './automation-log-logic';

const saved: Settings = {
  smtpHost: 'smtp.example.test',
  smtpPort: 587,
  smtpSecure: false,
  smtpUser: 'robot',
  smtpPasswordSet: true,
  mailFromAddress: 'robot@example.test',
  mailFromName: null,
  smsProvider: 'log',
  smsSender: null,
  smsApiUrl: null,
  smsruApiIdSet: false,
  smscLogin: null,
  smscPasswordSet: false,
  smscApiKeySet: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 3,
};

describe('the messaging form', () => {
  it('sends nothing when nothing changed; a secret left empty is kept', () => {
    expect(changesOf(formOf(saved), saved)).toEqual({});
  });

  it('sends what changed: an emptied text and port as null, a typed secret, a cleared secret as null', () => {
    const form = formOf(saved);
    form.texts.smtpUser = '  ';
    form.texts.mailFromName = ' Ромашка ';
    form.smtpPort = '';
    form.secrets.smtpPassword = null;
    form.secrets.smsruApiId = 'API';
    form.smsProvider = 'smsru';
    expect(changesOf(form, saved)).toEqual({ smtpUser: null, mailFromName: 'Ромашка', smtpPort: null, smtpPassword: null, smsruApiId: 'API', smsProvider: 'smsru' });
  });

  it('does not clear a secret that is not set', () => {
    const form = formOf(saved);
    form.secrets.smscApiKey = null;
    expect(changesOf(form, saved)).toEqual({});
  });
});

describe('the automation log in words', () => {
  const run = (over: Partial<Run>): Run => ({
    id: 1, robotId: 1, robotType: 'add_comment', robotName: 'R', entityType: 'deal', entityId: 5, stageId: 2, status: 'done', dueAt: null, afterRunId: null,
    reason: null, error: null, result: null, attempts: 1, nextAttemptAt: null, lastError: null, createdAt: '2026-01-01T00:00:00.000Z', finishedAt: null, ...over,
  });
  const tOf = async (lng: 'ru' | 'en') => {
    const i = createInstance();
    await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng, interpolation: { escapeValue: false } });
    return i.t.bind(i);
  };
  const at = (v: string) => `<${v}>`;

  it('says each status in Russian', async () => {
    const t = await tOf('ru');
    expect(statusText(t, run({ status: 'waiting', dueAt: 'D' }), at)).toBe('ожидает до <D>');
    expect(statusText(t, run({ status: 'waiting', afterRunId: 7 }), at)).toBe('ожидает завершения предыдущего робота');
    expect(statusText(t, run({ status: 'waiting', dueAt: 'D', nextAttemptAt: 'N', attempts: 2, lastError: 'timeout' }), at)).toBe('ошибка: timeout, попыток 2, следующая попытка в <N>');
    expect(statusText(t, run({ status: 'done' }), at)).toBe('выполнен');
    expect(statusText(t, run({ status: 'skipped', reason: 'condition false' }), at)).toBe('пропущен: condition false');
    expect(statusText(t, run({ status: 'cancelled', reason: 'the record left the stage' }), at)).toBe('отменён: the record left the stage');
    expect(statusText(t, run({ status: 'failed', error: 'smsru_201', attempts: 5 }), at)).toBe('ошибка: smsru_201, попыток 5');
    expect(statusText(t, run({ status: 'uncertain', error: 'no answer' }), at)).toBe('неизвестно, выполнен ли: no answer');
  });

  it('says them in English too', async () => {
    const t = await tOf('en');
    expect(statusText(t, run({ status: 'failed', error: 'boom', attempts: 3 }), at)).toBe('error: boom, attempts 3');
    expect(lagText(t, 0)).toBe('0 ms');
    expect(lagText(t, 90_000)).toBe('90 s');
    expect(lagText(t, 30 * 60_000)).toBe('30 min');
    expect(lagText(t, 5 * 3_600_000)).toBe('5 h');
  });

  it('turns a day into the start of it, and of the next', () => {
    expect(dayStart('')).toBeUndefined();
    expect(dayStart('2026-13-45')).toBeUndefined();
    const from = Date.parse(dayStart('2026-03-07')!);
    const to = Date.parse(dayStart('2026-03-07', true)!);
    expect(to - from).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(to - from).toBeLessThanOrEqual(25 * 3_600_000);
  });
});
