import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { createWorkspace } from '../../src/modules/workspaces/create-workspace.js';
import type { Locale } from '../../src/shared/locale.js';

// A workspace's default data comes in its language: the default pipeline and its stages, every
// reference list, the built-in roles, and what is made later without a name (a pipeline's basic
// stages, a lead's fallback title, a new user's language).

const EXPECTED = {
  en: {
    pipeline: 'General',
    stages: [
      ['New', 'in_progress'],
      ['In progress', 'in_progress'],
      ['Proposal/invoice sent', 'in_progress'],
      ['Won', 'success'],
      ['Lost', 'failure'],
    ],
    lists: {
      sources: ['Call', 'Website', 'E-mail', 'Referral', 'Trade show', 'Advertising', 'Other'],
      'loss-reasons': ['Too expensive', 'Chose a competitor', 'No need', 'Not responding', 'Other'],
      'contact-types': ['Client', 'Supplier', 'Partner', 'Other'],
      'company-types': ['Client', 'Supplier', 'Partner', 'Competitor', 'Other'],
      industries: ['Trade', 'Manufacturing', 'IT', 'Services', 'Construction', 'Other'],
      'lead-statuses': ['New', 'In progress', 'Converted', 'Junk'],
    },
    roles: { admin: 'Administrator', head_of_sales: 'Head of sales', manager: 'Manager' },
    adminName: 'Administrator',
    newLead: 'New lead',
  },
  ru: {
    pipeline: 'Общая',
    stages: [
      ['Новая', 'in_progress'],
      ['В работе', 'in_progress'],
      ['Предложение/счёт отправлен', 'in_progress'],
      ['Успешно', 'success'],
      ['Провалена', 'failure'],
    ],
    lists: {
      sources: ['Звонок', 'Веб-сайт', 'E-mail', 'Рекомендация', 'Выставка', 'Реклама', 'Другое'],
      'loss-reasons': ['Дорого', 'Выбрали конкурента', 'Нет потребности', 'Не выходит на связь', 'Другое'],
      'contact-types': ['Клиент', 'Поставщик', 'Партнёр', 'Другое'],
      'company-types': ['Клиент', 'Поставщик', 'Партнёр', 'Конкурент', 'Другое'],
      industries: ['Торговля', 'Производство', 'ИТ', 'Услуги', 'Строительство', 'Другое'],
      'lead-statuses': ['Новый', 'В работе', 'Сконвертирован', 'Некачественный'],
    },
    roles: { admin: 'Администратор', head_of_sales: 'Руководитель отдела продаж', manager: 'Менеджер' },
    adminName: 'Администратор',
    newLead: 'Новый лид',
  },
} as const;

/** A pipeline created without stages gets the seed's stages less «proposal/invoice sent». */
const basicStages = (locale: Locale) => EXPECTED[locale].stages.filter((_, i) => i !== 2);

const LEAD_STATUS_SEMANTICS = ['in_progress', 'in_progress', 'converted', 'junk'];

let seq = 0;

describe.each(testDialects())('a workspace in its own language on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  /** A workspace made the way the CLI and the first start make it, its administrator named by default. */
  async function workspaceIn(locale: Locale | undefined): Promise<{ admin: ApiClient; workspaceId: number }> {
    const email = `locale${++seq}@test.local`;
    const password = 'correct horse battery';
    const { workspaceId } = await createWorkspace(s.ctx, { name: `Workspace ${seq}`, ...(locale && { locale }), admin: { email, password } });
    return { admin: await ApiClient.login(s.baseUrl, email, password), workspaceId };
  }

  describe.each([['en' as const], ['ru' as const], [undefined]])('created with locale %s', (given) => {
    const locale = given ?? 'ru';
    const want = EXPECTED[locale];
    let admin: ApiClient;
    beforeAll(async () => {
      ({ admin } = await workspaceIn(given));
    });

    it('records the language on the workspace and its administrator', async () => {
      expect((await admin.get('/workspace')).body.locale).toBe(locale);
      const me = (await admin.get('/auth/me')).body;
      expect(me.user).toMatchObject({ locale, name: want.adminName });
    });

    it('names the default pipeline and its stages in that language', async () => {
      const items = (await admin.get('/pipelines')).body.items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ name: want.pipeline, isDefault: true });
      expect(items[0].stages.map((st: any) => [st.name, st.semantic])).toEqual(want.stages);
      expect(items[0].stages.map((st: any) => st.requiresLossReason)).toEqual([false, false, false, false, true]);
    });

    it('seeds every reference list in that language', async () => {
      for (const [kind, names] of Object.entries(want.lists) as Array<[string, readonly string[]]>) {
        const items = (await admin.get(`/reference-lists/${kind}/items`)).body.items as any[];
        expect(items.map((i) => i.name), kind).toEqual(names);
        expect(items.map((i) => i.sort), kind).toEqual(names.map((_, i) => (i + 1) * 10));
        if (kind === 'lead-statuses') expect(items.map((i) => i.semantic)).toEqual(LEAD_STATUS_SEMANTICS);
      }
    });

    it('names the built-in roles in that language, with the same codes', async () => {
      const roles = (await admin.get('/roles')).body.items as any[];
      const byCode = Object.fromEntries(roles.filter((r) => r.code).map((r) => [r.code, r.name]));
      expect(byCode).toEqual(want.roles);
    });

    it('gives a pipeline created without stages the basic ones in that language', async () => {
      const res = await admin.post('/pipelines', { name: 'Wholesale' });
      expect(res.status).toBe(201);
      expect(res.body.stages.map((st: any) => [st.name, st.semantic])).toEqual(basicStages(locale));
    });

    it('titles a lead that says nothing about the client in that language', async () => {
      const bare = await admin.post('/leads', { comment: 'called, hung up' });
      expect(bare.status).toBe(201);
      expect(bare.body.title).toBe(want.newLead);
      // whatever the language, a name or a phone still comes first
      const named = await admin.post('/leads', { firstName: 'Anna', phones: [{ value: '+7 495 000-00-02' }] });
      expect(named.body.title).toBe('Anna');
    });

    it('gives a new user the workspace language unless another is asked for', async () => {
      const plain = await admin.post('/users', { email: `user${++seq}@test.local`, name: 'Ivan', password: 'long enough pass' });
      expect(plain.status).toBe(201);
      expect(plain.body.locale).toBe(locale);
      const other = locale === 'en' ? 'ru' : 'en';
      const asked = await admin.post('/users', { email: `user${++seq}@test.local`, name: 'Olga', password: 'long enough pass', locale: other });
      expect(asked.body.locale).toBe(other);
    });
  });

  it('names what is created later in the language the workspace has now', async () => {
    const { admin } = await workspaceIn('ru');
    const ws = (await admin.get('/workspace')).body;
    expect((await admin.patch('/workspace', { version: ws.version, locale: 'en' })).status).toBe(200);
    const p = await admin.post('/pipelines', { name: 'Export' });
    expect(p.body.stages.map((st: any) => st.name)).toEqual(basicStages('en').map(([name]) => name));
    expect((await admin.post('/leads', {})).body.title).toBe('New lead');
    // the seeded data stays as it was: renaming it is the administrator's call
    expect((await admin.get('/pipelines')).body.items[0].name).toBe('Общая');
  });

  it('refuses an unknown language on the workspace settings', async () => {
    const ws = (await s.admin.get('/workspace')).body;
    const res = await s.admin.patch('/workspace', { version: ws.version, locale: 'fr' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('locale');
  });
});
