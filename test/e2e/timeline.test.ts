import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs, startE2E, waitForHeading, type E2E, reportFailures } from './support/e2e.js';

// Every kind of timeline entry reads as text, in Russian and in English: a lead with a call is
// converted (the call moves to the new deal, the lead's status changes), the deal is linked to a
// company, moved through stages, deleted and restored from the recycle bin. No entry shows an
// internal code («lead → deal»), a bare id («298 → 2 001», «#12», «№12») or a kind's code.

// the words a screen reader hears between the two sides of an arrow («на», «to») are left out
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/ → \n(?:на|to)\n/g, ' → ');
const RAW = /\b(?:lead|deal|contact|company) →|→ (?:lead|deal|contact|company)\b|\b[a-z]+_[a-z_]+\b|#\d|№\s?\d|\b\d+ → \d+\b/;

async function entries(page: Page): Promise<string[]> {
  const list = page.getByTestId('timeline-entry');
  await list.first().waitFor();
  return (await list.allInnerTexts()).map(norm);
}

describe('the timeline', () => {
  let e: E2E;
  let dealId: number;
  let leadId: number;

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    const company = await api.post('/companies', { name: 'ООО Ромашка' });
    expect(company.status).toBe(201);
    const lead = await api.post('/leads', { title: 'Заявка на окна', firstName: 'Пётр', lastName: 'Сидоров' });
    expect(lead.status).toBe(201);
    leadId = lead.body.id;
    const call = await api.post('/activities', { type: 'call', subject: 'Уточнить размеры', deadlineAt: new Date(e.now().getTime() + 86_400_000).toISOString(), entityType: 'lead', entityId: leadId });
    expect(call.status).toBe(201);
    const converted = await api.post(`/leads/${leadId}/convert`, { deal: { create: { title: 'Окна для Сидорова' } }, contact: { create: { firstName: 'Пётр', lastName: 'Сидоров' } } });
    expect(converted.status).toBe(200);
    dealId = converted.body.deal.id;
    let deal = (await api.get(`/deals/${dealId}`)).body;
    deal = (await api.patch(`/deals/${dealId}`, { companyId: company.body.id, amount: 2_980_000, version: deal.version })).body;
    const pipeline = (await api.get(`/pipelines/${deal.pipelineId}`)).body;
    const next = pipeline.stages.find((s: { id: number; semantic: string }) => s.semantic === 'in_progress' && s.id !== deal.stageId);
    expect((await api.post(`/deals/${dealId}/move`, { stageId: next.id })).status).toBe(200);
    expect((await api.delete(`/deals/${dealId}`)).status).toBe(204);
    expect((await api.post(`/recycle-bin/deal/${dealId}/restore`, {})).status).toBe(204);
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'timeline');

  it('a deal’s history in Russian: names instead of ids and codes', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Окна для Сидорова');
    await page.getByTestId('timeline').getByText('Компания: ').first().waitFor();
    // names arrive after the entries: wait for the moved call to name both records
    await page.getByTestId('timeline').getByText('Лид «Заявка на окна»').waitFor();
    const texts = await entries(page);
    const all = texts.join('\n---\n');
    expect(all).toContain('Перенесено: Лид «Заявка на окна» → Сделка «Окна для Сидорова»');
    expect(all).toMatch(/Компания: — → ООО Ромашка/);
    expect(all).toContain('Восстановлено из корзины');
    expect(all).toContain('Смена стадии');
    for (const t of texts) expect(t, t).not.toMatch(RAW);
  });

  it('a converted lead’s history in Russian: the status change and what it became', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/leads/${leadId}`);
    await page.getByTestId('timeline').getByText('Сделка: ').first().waitFor();
    await page.getByTestId('timeline').getByText('Окна для Сидорова').first().waitFor();
    const texts = await entries(page);
    const all = texts.join('\n---\n');
    expect(all).toContain('Смена статуса');
    expect(all).toContain('Лид сконвертирован');
    expect(all).toContain('создано при конвертации');
    for (const t of texts) expect(t, t).not.toMatch(RAW);
  });

  it('the same histories in English', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Окна для Сидорова');
    await page.getByTestId('language-switch').filter({ visible: true }).getByText('EN', { exact: true }).click();
    await page.getByTestId('timeline').getByText('Lead “Заявка на окна”').waitFor();
    const texts = await entries(page);
    const all = texts.join('\n---\n');
    expect(all).toContain('Moved: Lead “Заявка на окна” → Deal “Окна для Сидорова”');
    expect(all).toContain('Restored from the recycle bin');
    for (const t of texts) expect(t, t).not.toMatch(RAW);
    expect(all).not.toMatch(/[а-яё]{3,}\s*:/i); // no Russian labels left («Компания:»)
    await page.goto(`${e.baseUrl}/leads/${leadId}`);
    await page.getByTestId('timeline').getByText('Status changed').first().waitFor();
    for (const t of await entries(page)) expect(t, t).not.toMatch(RAW);
  });
});
