import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import ru from '../../i18n/ru.json';
import en from '../../i18n/en.json';
import { summaryText } from './summary-text';

async function tr(lng: 'ru' | 'en') {
  const i = createInstance();
  await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng, fallbackLng: 'ru', interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('robot summaries in the interface language', () => {
  it('says the known ones in Russian, the rest as they are', async () => {
    const t = await tr('ru');
    expect(summaryText(t, 'planned a call «Позвонить «Стулья»»')).toBe('Запланировано дело (звонок) «Позвонить «Стулья»»');
    expect(summaryText(t, 'would plan a e-mail «Письмо»')).toBe('Запланирует дело (письмо) «Письмо»');
    expect(summaryText(t, 'added a comment')).toBe('Добавлен комментарий');
    expect(summaryText(t, 'notified 5 user(s)')).toBe('Уведомлены 5 сотрудников');
    expect(summaryText(t, 'made user 7 responsible', (id) => (id === 7 ? 'Анна' : undefined))).toBe('Ответственный: Анна');
    expect(summaryText(t, 'already in «Новая»')).toBe('Сделка уже на стадии «Новая»');
    expect(summaryText(t, 'sent an SMS')).toBe('sent an SMS');
    expect(summaryText(t, 'sent an SMS to +79255070602 through smsru')).toBe('Отправлено SMS на +79255070602 через SMS.ru');
    expect(summaryText(t, 'would send an SMS to +79255070602 through log')).toBe('Отправит SMS на +79255070602 через только журнал');
    expect(summaryText(t, 'sent an SMS to +79255070602 through smsc (found at the provider after an interrupted attempt)')).toBe(
      'Отправлено SMS на +79255070602 через SMSC.ru (найдено у провайдера после прерванной попытки)',
    );
    expect(summaryText(t, 'sent an SMS to +79255070602 through newprovider')).toBe('Отправлено SMS на +79255070602 через newprovider');
    expect(summaryText(t, 'sent an e-mail «Счёт «№ 5» to you» to anna@example.test')).toBe('Отправлено письмо «Счёт «№ 5» to you» на anna@example.test');
    expect(summaryText(t, 'would send an e-mail «Привет» to anna@example.test')).toBe('Отправит письмо «Привет» на anna@example.test');
  });
  it('and in English', async () => {
    const t = await tr('en');
    expect(summaryText(t, 'notified 1 user(s)')).toBe('Notified 1 user');
    expect(summaryText(t, 'would move the deal to «Won»')).toBe('Would move the deal to «Won»');
    expect(summaryText(t, 'sent an SMS to +79255070602 through smsru')).toBe('Sent an SMS to +79255070602 through SMS.ru');
  });
});
