import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { SEARCH_TABLES, setMatchesReadOnce } from '../../src/db/text-search.js';
import { titleOnly } from '../../src/db/migrations/015_search_index.js';
import { flushSearchIndex } from '../../src/db/sqlite-search-flusher.js';
import type { DialectName } from '../../src/db/connection.js';

// Search (`q`) as the board's and the top bar's search box promise: a deal by its title, its
// number, and the names, phones (however typed) and e-mails of its contacts and company; kept
// in step on every path that changes what it reads; within the read scope of every record it
// matches on. Leads, contacts and companies by the same rules. Lists and the board agree.
// SQLite writes its search index in batches (migration 019): every test runs with the rows
// written since the last flush only noted ("noted"), and with the index flushed before each
// search ("flushed"), where later changes leave the index holding old texts until the next flush.

const cases: Array<[DialectName, 'noted' | 'flushed']> = testDialects().flatMap((d): Array<[DialectName, 'noted' | 'flushed']> =>
  d === 'sqlite' ? [[d, 'noted'], [d, 'flushed']] : [[d, 'flushed']],
);

describe.each(cases)('search on %s, index %s', (dialect, index) => {
  let s: TestServer;
  let manager: ApiClient;
  let managerId: number;
  let pipelineId: number;
  const db = () => s.testDb.db.kysely;

  const ok = <T extends { status: number; body: any }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const idsOf = (items: Array<{ id: number }>) => items.map((x) => x.id).sort((a, b) => a - b);

  const settle = async () => {
    if (dialect === 'sqlite' && index === 'flushed') await flushSearchIndex(db());
  };

  /** Deals `q` finds for the client: GET /deals and the board must agree. */
  async function deals(q: string, client: ApiClient = s.admin): Promise<number[]> {
    await settle();
    const list = idsOf(ok(await client.get('/deals', { q, limit: 500 })).body.items);
    const board = ok(await client.get(`/pipelines/${pipelineId}/board`, { q, limit: 100 })).body;
    const cards = idsOf(board.columns.flatMap((c: { items: Array<{ id: number }> }) => c.items));
    const counted = board.columns.reduce((n: number, c: { count: number }) => n + c.count, 0);
    expect(cards).toEqual(list);
    expect(counted).toBe(list.length);
    return list;
  }
  const list = async (entity: 'leads' | 'contacts' | 'companies', q: string, client: ApiClient = s.admin) => {
    await settle();
    return idsOf(ok(await client.get(`/${entity}`, { q, limit: 500 })).body.items);
  };

  const contact = async (body: Record<string, unknown>) => ok(await s.admin.post('/contacts', body), 201).body;
  const company = async (body: Record<string, unknown>) => ok(await s.admin.post('/companies', body), 201).body;
  const deal = async (body: Record<string, unknown>, client: ApiClient = s.admin) => ok(await client.post('/deals', body), 201).body;
  const current = async (entity: string, id: number) => ok(await s.admin.get(`/${entity}/${id}`)).body;
  const patch = async (entity: string, id: number, body: Record<string, unknown>) =>
    ok(await s.admin.patch(`/${entity}/${id}`, { ...body, version: (await current(entity, id)).version })).body;
  const toBin = async (entity: string, id: number) => ok(await s.admin.delete(`/${entity}/${id}`), 204);
  const restore = async (type: string, id: number) => ok(await s.admin.post(`/recycle-bin/${type}/${id}/restore`), 204);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    ({ client: manager, id: managerId } = await addUser(s, `search-manager-${dialect}@test.local`));
    pipelineId = (await s.ctx.services.pipelines.defaultPipeline(db(), s.workspaceId)).id;
  });
  afterAll(() => s?.close());

  it('finds a deal by title, number, and its contacts’ and company’s names, phones and e-mails', async () => {
    const primary = await contact({ firstName: 'Аркадий', lastName: 'Поисковой', phones: [{ value: '+7 (912) 345-67-89' }], emails: [{ value: 'Arkady.Poisk@Example.RU' }] });
    const second = await contact({ firstName: 'Зинаида', lastName: 'Второва', phones: [{ value: '+7 903 210-44-55' }] });
    const client = await company({ name: 'ООО «Искомый Лес»', phones: [{ value: '+7 495 765-43-21' }], emails: [{ value: 'office@iskomy-les.example' }] });
    const d = await deal({ title: 'Поставка брусa по ГОСТ', contactIds: [primary.id, second.id], companyId: client.id });
    const other = await deal({ title: 'Посторонняя сделка' });

    const queries = [
      'ПОСТАВКА БРУС', // title, any case
      String(d.id),
      `#${d.id}`,
      `№ ${d.id}`,
      'поисковой', // primary contact's last name
      'Поисковой Аркадий',
      'второва', // a contact that is not the primary one
      'искомый лес', // company
      '+7 (912) 345-67-89', // phone as written
      '89123456789', // with the trunk 8
      '9123456789',
      '912 345', // a fragment, spaced
      '8 912 345',
      '345-67-89',
      'arkady.poisk@example.ru', // e-mail, any case
      'ARKADY.POISK@',
      '+7 (495) 765-43-21', // company phone
      '765 43',
      'office@iskomy', // company e-mail
    ];
    // matches read once and handed to each query of the board as a list, and (many matches) as a subquery
    for (const readOnce of [2000, 0]) {
      const before = setMatchesReadOnce(readOnce);
      try {
        for (const q of queries) {
          expect(await deals(q), q).toContain(d.id);
          expect(await deals(q), q).not.toContain(other.id);
        }
        expect(await deals('Поиском')).toEqual([]);
        expect(await deals('7 912 000')).toEqual([]);
      } finally {
        setMatchesReadOnce(before);
      }
    }
  });

  it('matches wildcard characters literally and still answers one- and two-character searches', async () => {
    const d = await deal({ title: 'Скидка 50% [акция]* на всё?' });
    const plain = await deal({ title: 'Скидка 505 акция' });
    for (const q of ['50% [акция]*', '0% [', ']*', 'всё?']) expect(await deals(q), q).toEqual([d.id]);
    expect(await deals('50_')).toEqual([]);
    expect(await deals('5%')).toEqual([]);
    expect(await deals('*')).toEqual([d.id]);
    expect(await deals('скидка 50')).toEqual([d.id, plain.id].sort((a, b) => a - b));
    expect(await deals('%')).toEqual([d.id]);
    // shorter than a trigram: answered without the index, same rules
    expect(await deals('ё?')).toEqual([d.id]);
  });

  it('keeps deal search in step with the deal’s title and links', async () => {
    const c = await contact({ lastName: 'Связкин', phones: [{ value: '+7 916 101-20-30' }] });
    const co = await company({ name: 'АО «Привязка»' });
    const d = await deal({ title: 'Первое название' });
    expect(await deals('связкин')).toEqual([]);

    await patch('deals', d.id, { title: 'Второе название' });
    expect(await deals('первое название')).toEqual([]);
    expect(await deals('второе название')).toEqual([d.id]);

    await patch('deals', d.id, { contactIds: [c.id], companyId: co.id });
    expect(await deals('связкин')).toEqual([d.id]);
    expect(await deals('916 101')).toEqual([d.id]);
    expect(await deals('привязка')).toEqual([d.id]);

    await patch('deals', d.id, { contactIds: [], companyId: null });
    expect(await deals('связкин')).toEqual([]);
    expect(await deals('916 101')).toEqual([]);
    expect(await deals('привязка')).toEqual([]);
  });

  it('keeps deal search in step with renames and phone and e-mail edits of contacts and companies', async () => {
    const c = await contact({ lastName: 'Староимённов', phones: [{ value: '+7 916 202-30-40' }], emails: [{ value: 'old-mail@example.ru' }] });
    const co = await company({ name: 'ООО «Старое имя»', phones: [{ value: '+7 495 202-30-41' }] });
    const d = await deal({ title: 'Сделка переименований', contactIds: [c.id], companyId: co.id });

    await patch('contacts', c.id, { lastName: 'Новоимённов', phones: [{ value: '+7 916 555-66-77' }], emails: [{ value: 'new-mail@example.ru' }] });
    await patch('companies', co.id, { name: 'ООО «Новое имя»', phones: [{ value: '+7 495 555-66-78' }] });
    for (const q of ['староимённов', '916 202', 'old-mail', 'старое имя', '495 202']) expect(await deals(q), q).toEqual([]);
    for (const q of ['новоимённов', '916 555-66-77', 'new-mail', 'новое имя', '84955556678']) expect(await deals(q), q).toEqual([d.id]);
  });

  it('keeps deal search in step with merges of contacts and companies', async () => {
    const survivor = await contact({ lastName: 'Оставшийся', phones: [{ value: '+7 916 303-00-01' }] });
    const source = await contact({ lastName: 'Влитый', phones: [{ value: '+7 916 303-00-02' }] });
    const coSurvivor = await company({ name: 'ООО «Оставшаяся»' });
    const coSource = await company({ name: 'ООО «Влитая»', emails: [{ value: 'merged@vlitaya.example' }] });
    const d = await deal({ title: 'Сделка слияний', contactIds: [source.id], companyId: coSource.id });

    ok(await s.admin.post(`/contacts/${survivor.id}/merge`, { sourceId: source.id }));
    ok(await s.admin.post(`/companies/${coSurvivor.id}/merge`, { sourceId: coSource.id }));
    expect((await current('deals', d.id)).contactIds).toEqual([survivor.id]);
    // the source's name went with it; its phone and e-mail now belong to the survivor
    expect(await deals('влитый')).toEqual([]);
    expect(await deals('влитая')).toEqual([]);
    for (const q of ['оставшийся', '916 303-00-02', 'оставшаяся', 'merged@vlitaya']) expect(await deals(q), q).toEqual([d.id]);
  });

  it('a contact or company in the recycle bin finds nothing until restored; so does a deleted deal', async () => {
    const c = await contact({ lastName: 'Корзинов', phones: [{ value: '+7 916 404-11-22' }], emails: [{ value: 'korzinov@example.ru' }] });
    const co = await company({ name: 'ООО «Корзина»' });
    const d = await deal({ title: 'Сделка корзины', contactIds: [c.id], companyId: co.id });

    await toBin('contacts', c.id);
    await toBin('companies', co.id);
    for (const q of ['корзинов', '916 404', 'korzinov@', 'корзина»']) expect(await deals(q), q).toEqual([]);
    expect(await deals('сделка корзины')).toEqual([d.id]);

    await restore('contact', c.id);
    await restore('company', co.id);
    for (const q of ['корзинов', '916 404', 'korzinov@', 'корзина»']) expect(await deals(q), q).toEqual([d.id]);

    await toBin('deals', d.id);
    expect(await deals('сделка корзины')).toEqual([]);
    expect(await deals('корзинов')).toEqual([]);
    expect(await deals(`№${d.id}`)).toEqual([]);
    await restore('deal', d.id);
    expect(await deals('сделка корзины')).toEqual([d.id]);
    expect(await deals('корзинов')).toEqual([d.id]);
    expect(await deals(`№${d.id}`)).toEqual([d.id]);
  });

  it('matches only on records the user may read, and returns only deals the user may read', async () => {
    // the manager (no department) reads their own deals and contacts only
    const hidden = await contact({ lastName: 'Скрытнов', phones: [{ value: '+7 916 505-12-34' }], emails: [{ value: 'hidden@example.ru' }] });
    const hiddenCo = await company({ name: 'ООО «Невидимка»' });
    expect((await manager.get(`/contacts/${hidden.id}`)).status).toBe(404);
    const theirs = await deal({ title: 'Сделка менеджера', responsibleId: managerId, contactIds: [hidden.id], companyId: hiddenCo.id });
    const own = ok(await manager.post('/contacts', { lastName: 'Своёв', phones: [{ value: '+7 916 505-98-76' }] }), 201).body;
    const adminsDeal = await deal({ title: 'Чужая сделка', contactIds: [own.id] });
    const mine = await deal({ title: 'Моя сделка', contactIds: [own.id] }, manager);

    // the administrator finds the deal by the contact the manager cannot see
    for (const q of ['скрытнов', '916 505-12-34', 'hidden@', 'невидимка']) expect(await deals(q), q).toEqual([theirs.id]);
    // the manager may read the deal but not what would match it
    for (const q of ['скрытнов', '916 505-12-34', 'hidden@', 'невидимка']) expect(await deals(q, manager), q).toEqual([]);
    expect(await deals('сделка менеджера', manager)).toEqual([theirs.id]);
    // a readable contact does not open the deals the manager may not read
    expect(await deals('своёв', manager)).toEqual([mine.id]);
    expect(await deals('своёв')).toEqual([adminsDeal.id, mine.id].sort((a, b) => a - b));
    expect(await deals(`#${adminsDeal.id}`, manager)).toEqual([]);
    expect(await deals(`#${mine.id}`, manager)).toEqual([mine.id]);
    expect(await deals('916 505', manager)).toEqual([mine.id]);
  });

  it('finds leads by title, number, names, company, phone fragments and e-mails, in step with edits and the bin', async () => {
    const lead = ok(
      await s.admin.post('/leads', { title: 'Заявка с сайта', lastName: 'Лидов', firstName: 'Олег', companyName: 'ИП Лидерский', phones: [{ value: '8 (926) 777-88-99' }], emails: [{ value: 'oleg@lidov.example' }] }),
      201,
    ).body;
    for (const q of ['заявка с сайта', String(lead.id), `№${lead.id}`, 'лидов олег', 'лидерский', '926 777', '89267778899', 'oleg@lidov']) {
      expect(await list('leads', q), q).toEqual([lead.id]);
    }
    await patch('leads', lead.id, { lastName: 'Переименов', phones: [{ value: '+7 926 111-00-00' }] });
    expect(await list('leads', 'лидов')).toEqual([]);
    expect(await list('leads', '926 777')).toEqual([]);
    expect(await list('leads', 'переименов')).toEqual([lead.id]);
    expect(await list('leads', '926 111')).toEqual([lead.id]);
    await toBin('leads', lead.id);
    expect(await list('leads', 'переименов')).toEqual([]);
    await restore('lead', lead.id);
    expect(await list('leads', 'переименов')).toEqual([lead.id]);
  });

  it('finds contacts and companies by phone fragments and e-mails, in step with edits, merges and the bin', async () => {
    const c = await contact({ lastName: 'Фрагментов', phones: [{ value: '+7 (917) 246-80-13' }], emails: [{ value: 'frag@example.ru' }] });
    const co = await company({ name: 'ООО «Фрагмент»', phones: [{ value: '+7 (499) 135-79-24' }] });
    for (const q of ['917 246', '89172468013', '246-80-13', 'frag@']) expect(await list('contacts', q), q).toEqual([c.id]);
    for (const q of ['499 135', '84991357924', 'фрагмент»']) expect(await list('companies', q), q).toEqual([co.id]);
    // a number search is not a contact or company search
    expect(await list('contacts', String(c.id))).not.toContain(c.id);

    await patch('contacts', c.id, { phones: [{ value: '+7 917 999-00-11' }] });
    expect(await list('contacts', '917 246')).toEqual([]);
    expect(await list('contacts', '917 999')).toEqual([c.id]);

    const dup = await contact({ lastName: 'Дубликатов', emails: [{ value: 'dup@example.ru' }] });
    ok(await s.admin.post(`/contacts/${c.id}/merge`, { sourceId: dup.id }));
    expect(await list('contacts', 'dup@example')).toEqual([c.id]);
    expect(await list('contacts', 'дубликатов')).toEqual([]);

    await toBin('contacts', c.id);
    await toBin('companies', co.id);
    expect(await list('contacts', 'фрагментов')).toEqual([]);
    expect(await list('companies', '499 135')).toEqual([]);
    await restore('contact', c.id);
    await restore('company', co.id);
    expect(await list('contacts', 'фрагментов')).toEqual([c.id]);
    expect(await list('companies', '499 135')).toEqual([co.id]);
  });

  it('migration 015 rewrites what older deals carried (their contacts’ names at the time) to their title', async () => {
    const c = await contact({ lastName: 'Давнишний' });
    const d = await deal({ title: 'Старая СДЕЛКА', contactIds: [c.id] });
    // as deals were saved before: the title and the names of the contacts then linked
    await db().updateTable('deals').set({ search_text: 'старая сделка давнишний прежний' }).where('id', '=', d.id).execute();
    expect(await deals('прежний')).toEqual([d.id]);
    await titleOnly(db());
    expect((await db().selectFrom('deals').select('search_text').where('id', '=', d.id).executeTakeFirstOrThrow()).search_text).toBe('старая сделка');
    expect(await deals('прежний')).toEqual([]);
    expect(await deals('давнишний')).toEqual([d.id]); // through the link, as long as it is there
  });

  it.skipIf(dialect !== 'sqlite')('keeps the FTS5 tables equal to the rows they index once flushed', async () => {
    await flushSearchIndex(db());
    for (const t of SEARCH_TABLES) {
      expect(Number((await sql.raw<{ n: number }>(`select count(*) as n from ${t}_fts_pending`).execute(db())).rows[0]!.n)).toBe(0);
      // FTS5's own check of an external-content index against its table: an error if they differ
      await expect(sql.raw(`insert into ${t}_fts (${t}_fts, rank) values ('integrity-check', 1)`).execute(db())).resolves.toBeDefined();
    }
  });
});
