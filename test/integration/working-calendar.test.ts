import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

// The workspace's stored working calendar: settings, exceptions and loaded decree years, through the
// API, and the WorkingTime robots get from the service. Instants are written in UTC with the Moscow
// wall time beside them; the calendar facts are those of ../shared/specs/production-calendar-ru.md.

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const paths = (res: { body: any }) => res.body.error.fields.map((f: { path: string }) => f.path);

/** A decree for 2028 (made up for the test: 1–7 January off and Mon 10 January too). */
const DECREE_2028 = {
  decree: 'Постановление Правительства РФ «О переносе выходных дней в 2028 году» (тест)',
  source: 'https://example.test/2028',
  note: 'загружено для проверки',
  holidays: ['2028-01-03', '2028-01-04', '2028-01-05', '2028-01-06', '2028-01-07', '2028-01-10', '2028-02-23', '2028-03-08', '2028-05-01', '2028-05-09', '2028-06-12', '2028-11-06'],
  workingWeekends: ['2028-01-15'],
  shortDays: ['2028-01-15', '2028-02-22', '2028-03-07'],
};

async function loginManager(s: TestServer, email: string): Promise<ApiClient> {
  const db = s.ctx.db.kysely;
  const now = s.clock.now().toISOString();
  const role = await db.selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password'), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
  return ApiClient.login(s.baseUrl, email, 'manager password');
}

describe.each(testDialects())('working calendar on %s', (dialect) => {
  let s: TestServer;
  const workingTime = (ws = s.workspaceId) => s.ctx.services.workingCalendar.workingTime(s.ctx.db.kysely, ws);
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  it('starts from the Russian defaults in the workspace time zone', async () => {
    const res = await s.admin.get('/settings/working-calendar');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'Europe/Moscow', dayStartMinute: 540, dayEndMinute: 1080, shortDayMinutes: 60, version: 0, updatedAt: null, overrides: [] });
    expect(res.body.years.map((y: any) => [y.year, y.source])).toEqual([[2025, 'built_in'], [2026, 'built_in'], [2027, 'built_in']]);
    expect(res.body.years[1].decree).toContain('1466');

    const wt = await workingTime();
    // Fri 2025-02-21 10:00 MSK + 1 working day → Mon 2025-02-24 10:00 MSK
    expect(iso(wt.addWorkingDays(at('2025-02-21T07:00:00Z'), 1, true))).toBe('2025-02-24T07:00:00.000Z');
    // Thu 2026-04-30 16:00 MSK (short) + 2 working hours → Mon 2026-05-04 10:00 MSK
    expect(iso(wt.addWorkingMinutes(at('2026-04-30T13:00:00Z'), 120))).toBe('2026-05-04T07:00:00.000Z');
    expect(wt.isPublished(2026)).toBe(true);
    expect(wt.isPublished(2028)).toBe(false);
  });

  it('tells every day of a year its kind and why', async () => {
    const res = await s.admin.get('/settings/working-calendar/days', { year: 2026 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, published: true, source: 'built_in', workingDays: 247, workingMinutes: 247 * 540 - 4 * 60 });
    expect(res.body.days).toHaveLength(365);
    const day = (d: string) => res.body.days.find((x: any) => x.date === d);
    expect(day('2026-01-01')).toEqual({ date: '2026-01-01', kind: 'off', reason: 'holiday', calendarKind: 'off', calendarReason: 'holiday', note: null });
    expect(day('2026-03-09')).toMatchObject({ kind: 'off', reason: 'moved_day_off' });
    expect(day('2026-03-07')).toMatchObject({ kind: 'off', reason: 'weekend' });
    expect(day('2026-04-30')).toMatchObject({ kind: 'short', reason: 'short' });
    expect(day('2026-09-14')).toMatchObject({ kind: 'work', reason: 'workday' });

    const y2025 = await s.admin.get('/settings/working-calendar/days', { year: 2025 });
    expect(y2025.body.days.find((x: any) => x.date === '2025-11-01')).toMatchObject({ kind: 'short', reason: 'worked_weekend' });
    expect(y2025.body.days.find((x: any) => x.date === '2025-05-02')).toMatchObject({ kind: 'off', reason: 'moved_day_off' });

    const leap = await s.admin.get('/settings/working-calendar/days', { year: 2028 });
    expect(leap.body).toMatchObject({ year: 2028, published: false, source: 'provisional', decree: null });
    expect(leap.body.days).toHaveLength(366);
    expect(leap.body.days.find((x: any) => x.date === '2028-01-10')).toMatchObject({ kind: 'work', reason: 'workday' });

    for (const year of ['', 'abc', '1999', '2101', '2026.5']) {
      const bad = await s.admin.get('/settings/working-calendar/days', { year });
      expect(bad.status, year).toBe(400);
      expect(paths(bad)).toContain('year');
    }
    const missing = await s.admin.get('/settings/working-calendar/days');
    expect(missing.status).toBe(400);
    const unknown = await s.admin.get('/settings/working-calendar/days', { year: 2026, month: 3 });
    expect(unknown.status).toBe(400);
    expect(paths(unknown)).toContain('month');
  });

  it('lets the administrator change the working hours, with the version read', async () => {
    const before = (await s.admin.get('/settings/working-calendar')).body;
    const res = await s.admin.patch('/settings/working-calendar', { version: before.version, dayStartMinute: 600, dayEndMinute: 1140, shortDayMinutes: 90 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dayStartMinute: 600, dayEndMinute: 1140, shortDayMinutes: 90, version: 1 });
    expect(res.body.updatedAt).toBe(s.clock.now().toISOString());
    expect((await s.admin.get('/settings/working-calendar')).body).toEqual(res.body);

    const wt = await workingTime();
    // Fri 2025-10-31 19:00 MSK → the next working morning is the worked Saturday, now at 10:00 MSK
    expect(iso(wt.nextWorkingMorning(at('2025-10-31T16:00:00Z')))).toBe('2025-11-01T07:00:00.000Z');
    // Mon 2026-09-14 10:00 MSK + 9 working hours → 19:00 the same day
    expect(iso(wt.addWorkingMinutes(at('2026-09-14T07:00:00Z'), 540))).toBe('2026-09-14T16:00:00.000Z');
    // a short day now ends 90 minutes earlier: Thu 2026-04-30 ends at 17:30 MSK
    expect(wt.isWorkingTime(at('2026-04-30T14:30:00Z'))).toBe(true);
    expect(wt.isWorkingTime(at('2026-04-30T14:31:00Z'))).toBe(false);
    const days = (await s.admin.get('/settings/working-calendar/days', { year: 2026 })).body;
    expect(days.workingMinutes).toBe(247 * 540 - 4 * 90);

    const stale = await s.admin.patch('/settings/working-calendar', { version: 0, dayStartMinute: 480 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ version: 1, dayStartMinute: 600 });

    const viaHeader = await s.admin.request('PATCH', '/settings/working-calendar', { dayStartMinute: 540, dayEndMinute: 1080, shortDayMinutes: 60 }, { 'if-match': '"1"' });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ dayStartMinute: 540, version: 2 });
  });

  it('refuses bad hours naming the field, and changes nothing', async () => {
    const { version } = (await s.admin.get('/settings/working-calendar')).body;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ dayEndMinute: 500 }, 'dayEndMinute'],
      [{ dayStartMinute: 1100 }, 'dayStartMinute'],
      [{ shortDayMinutes: 540 }, 'shortDayMinutes'],
      [{ dayStartMinute: -1 }, 'dayStartMinute'],
      [{ dayEndMinute: 1441 }, 'dayEndMinute'],
      [{ dayStartMinute: 9.5 }, 'dayStartMinute'],
      [{ shortDayMinutes: '60' }, 'shortDayMinutes'],
      [{ lunch: 60 }, 'lunch'],
      [{ timeZone: 'Asia/Tokyo' }, 'timeZone'],
    ];
    for (const [patch, field] of cases) {
      const res = await s.admin.patch('/settings/working-calendar', { version, ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(paths(res), JSON.stringify(patch)).toContain(field);
    }
    const noVersion = await s.admin.patch('/settings/working-calendar', { dayStartMinute: 480 });
    expect(noVersion.status).toBe(400);
    expect(paths(noVersion)).toContain('version');
    expect((await s.admin.get('/settings/working-calendar')).body).toMatchObject({ version, dayStartMinute: 540, dayEndMinute: 1080, shortDayMinutes: 60 });
  });

  it('follows the workspace time zone', async () => {
    const ws = (await s.admin.get('/workspace')).body;
    expect((await s.admin.patch('/workspace', { version: ws.version, timeZone: 'Asia/Yekaterinburg' })).status).toBe(200);
    expect((await s.admin.get('/settings/working-calendar')).body.timeZone).toBe('Asia/Yekaterinburg');
    // Mon 2026-09-14 08:30 MSK is 10:30 in Yekaterinburg: working time there
    expect((await workingTime()).isWorkingTime(at('2026-09-14T05:30:00Z'))).toBe(true);
    const back = (await s.admin.get('/workspace')).body;
    expect((await s.admin.patch('/workspace', { version: back.version, timeZone: 'Europe/Moscow' })).status).toBe(200);
    expect((await workingTime()).isWorkingTime(at('2026-09-14T05:30:00Z'))).toBe(false);
  });

  it('applies the administrator’s exceptions: a Saturday made working changes the working days robots count', async () => {
    const friday = at('2026-09-18T07:00:00Z'); // Fri 10:00 MSK
    expect(iso((await workingTime()).addWorkingDays(friday, 1, true))).toBe('2026-09-21T07:00:00.000Z');

    const put = await s.admin.put('/settings/working-calendar/overrides/2026-09-19', { kind: 'work', note: 'субботник' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ date: '2026-09-19', kind: 'work', note: 'субботник', updatedAt: s.clock.now().toISOString() });
    expect(iso((await workingTime()).addWorkingDays(friday, 1, true))).toBe('2026-09-19T07:00:00.000Z');

    const off = await s.admin.put('/settings/working-calendar/overrides/2026-09-21', { kind: 'off' });
    expect(off.status).toBe(200);
    expect(off.body.note).toBeNull();
    expect(iso((await workingTime()).addWorkingDays(friday, 2, true))).toBe('2026-09-22T07:00:00.000Z');

    const days = (await s.admin.get('/settings/working-calendar/days', { year: 2026 })).body;
    expect(days.days.find((d: any) => d.date === '2026-09-19')).toEqual({ date: '2026-09-19', kind: 'work', reason: 'override', calendarKind: 'off', calendarReason: 'weekend', note: 'субботник' });
    expect(days.workingDays).toBe(247);
    expect((await s.admin.get('/settings/working-calendar')).body.overrides.map((o: any) => [o.date, o.kind])).toEqual([['2026-09-19', 'work'], ['2026-09-21', 'off']]);

    // replaced in place
    const changed = await s.admin.put('/settings/working-calendar/overrides/2026-09-19', { kind: 'short', note: '  короткий  ' });
    expect(changed.body).toMatchObject({ kind: 'short', note: 'короткий' });

    expect((await s.admin.delete('/settings/working-calendar/overrides/2026-09-19')).status).toBe(204);
    expect((await s.admin.delete('/settings/working-calendar/overrides/2026-09-21')).status).toBe(204);
    expect(iso((await workingTime()).addWorkingDays(friday, 1, true))).toBe('2026-09-21T07:00:00.000Z');
    const again = await s.admin.delete('/settings/working-calendar/overrides/2026-09-19');
    expect(again.status).toBe(404);
    expect((await s.admin.get('/settings/working-calendar')).body.overrides).toEqual([]);
  });

  it('refuses bad exceptions naming the field', async () => {
    for (const date of ['2026-02-30', '2026-9-19', 'tomorrow', '1999-01-04']) {
      const res = await s.admin.put(`/settings/working-calendar/overrides/${date}`, { kind: 'off' });
      expect(res.status, date).toBe(400);
      expect(paths(res), date).toContain('date');
    }
    const kind = await s.admin.put('/settings/working-calendar/overrides/2026-09-19', { kind: 'holiday' });
    expect(kind.status).toBe(400);
    expect(paths(kind)).toContain('kind');
    const note = await s.admin.put('/settings/working-calendar/overrides/2026-09-19', { kind: 'off', note: 'x'.repeat(501) });
    expect(paths(note)).toContain('note');
    expect((await s.admin.put('/settings/working-calendar/overrides/2026-09-19', {})).status).toBe(400);
    expect((await s.admin.get('/settings/working-calendar')).body.overrides).toEqual([]);
  });

  it('loads the 2028 decree: the year turns published and robots count on it; a year may be replaced', async () => {
    const before = await workingTime();
    expect(iso(before.nextWorkStart(at('2028-01-01T06:00:00Z')))).toBe('2028-01-10T06:00:00.000Z'); // provisional

    const res = await s.admin.put('/settings/working-calendar/years/2028', DECREE_2028);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2028, source: 'loaded', decree: DECREE_2028.decree, origin: DECREE_2028.source, note: DECREE_2028.note, loadedAt: s.clock.now().toISOString() });
    expect(res.body.holidays).toEqual(DECREE_2028.holidays);

    const wt = await workingTime();
    expect(wt.isPublished(2028)).toBe(true);
    expect(iso(wt.nextWorkStart(at('2028-01-01T06:00:00Z')))).toBe('2028-01-11T06:00:00.000Z');
    expect(wt.dayKind('2028-01-15')).toBe('short');

    const days = (await s.admin.get('/settings/working-calendar/days', { year: 2028 })).body;
    expect(days).toMatchObject({ published: true, source: 'loaded', decree: DECREE_2028.decree });
    expect(days.days.find((d: any) => d.date === '2028-01-10')).toMatchObject({ kind: 'off', reason: 'moved_day_off' });
    expect(days.days.find((d: any) => d.date === '2028-01-15')).toMatchObject({ kind: 'short', reason: 'worked_weekend' });
    expect((await s.admin.get('/settings/working-calendar')).body.years.map((y: any) => [y.year, y.source])).toEqual([[2025, 'built_in'], [2026, 'built_in'], [2027, 'built_in'], [2028, 'loaded']]);

    // replaced: Mon 10 January worked after all
    const replaced = await s.admin.put('/settings/working-calendar/years/2028', { ...DECREE_2028, holidays: DECREE_2028.holidays.filter((d) => d !== '2028-01-10') });
    expect(replaced.status).toBe(200);
    expect(iso((await workingTime()).nextWorkStart(at('2028-01-01T06:00:00Z')))).toBe('2028-01-10T06:00:00.000Z');

    // a loaded year wins over the built-in one: 2027 without its decree's holidays
    const y2027 = await s.admin.put('/settings/working-calendar/years/2027', { holidays: [], workingWeekends: [], shortDays: [] });
    expect(y2027.status).toBe(200);
    expect((await workingTime()).dayKind('2027-01-04')).toBe('work');
    const info = (await s.admin.get('/settings/working-calendar')).body.years.find((y: any) => y.year === 2027);
    expect(info).toMatchObject({ source: 'loaded', decree: null });
  });

  it('checks a decree thoroughly and names the path of each bad date', async () => {
    const bad = {
      holidays: ['2029-01-01', '2028-01-03', '2028-01-03', '2028-01-01'],
      workingWeekends: ['2028-01-04'],
      shortDays: ['2028-02-30', '2028-01-03', '2028-01-08'],
    };
    const res = await s.admin.put('/settings/working-calendar/years/2028', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(paths(res)).toEqual(expect.arrayContaining(['holidays[0]', 'holidays[2]', 'holidays[3]', 'workingWeekends[0]', 'shortDays[0]', 'shortDays[1]', 'shortDays[2]']));
    expect(paths(res)).not.toContain('holidays[1]');
    const messages = res.body.error.fields.map((f: any) => `${f.path}: ${f.message}`).join('\n');
    expect(messages).toContain('holidays[0]: 2029-01-01 is not in 2028');
    expect(messages).toContain('holidays[2]: 2028-01-03 is listed twice');

    const shapes: Array<[unknown, string]> = [
      [{ workingWeekends: [], shortDays: [] }, 'holidays'],
      [{ holidays: '2028-01-03', workingWeekends: [], shortDays: [] }, 'holidays'],
      [{ holidays: [3], workingWeekends: [], shortDays: [] }, 'holidays[0]'],
      [{ holidays: [], workingWeekends: [], shortDays: [], extra: 1 }, 'extra'],
    ];
    for (const [body, field] of shapes) {
      const r = await s.admin.put('/settings/working-calendar/years/2028', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(paths(r), JSON.stringify(body)).toContain(field);
    }
    const year = await s.admin.put('/settings/working-calendar/years/1999', { holidays: [], workingWeekends: [], shortDays: [] });
    expect(year.status).toBe(400);
    expect(paths(year)).toContain('year');
    // what was loaded before stays
    expect((await workingTime()).dayKind('2028-01-03')).toBe('off');
  });

  it('lets any user read the calendar but only administrators change it', async () => {
    const manager = await loginManager(s, `wc-manager-${dialect}@test.local`);
    const read = await manager.get('/settings/working-calendar');
    expect(read.status).toBe(200);
    expect((await manager.get('/settings/working-calendar/days', { year: 2026 })).status).toBe(200);
    const writes = [
      await manager.patch('/settings/working-calendar', { version: read.body.version, dayStartMinute: 480 }),
      await manager.put('/settings/working-calendar/overrides/2026-09-19', { kind: 'work' }),
      await manager.delete('/settings/working-calendar/overrides/2026-09-19'),
      await manager.put('/settings/working-calendar/years/2029', { holidays: [], workingWeekends: [], shortDays: [] }),
    ];
    for (const w of writes) {
      expect(w.status).toBe(403);
      expect(w.body.error.code).toBe('forbidden');
    }
    const after = (await s.admin.get('/settings/working-calendar')).body;
    expect(after).toMatchObject({ dayStartMinute: read.body.dayStartMinute, overrides: [] });
    expect(after.years.map((y: any) => y.year)).not.toContain(2029);
    expect((await s.anon().get('/settings/working-calendar')).status).toBe(401);
  });

  it('lets one of two administrators saving the first hours at once win, the other gets 409', async () => {
    const other = await s.newWorkspace('Гонка');
    const [a, b] = await Promise.all([
      other.admin.patch('/settings/working-calendar', { version: 0, dayStartMinute: 480 }),
      other.admin.patch('/settings/working-calendar', { version: 0, dayStartMinute: 600 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? 480 : 600;
    expect((await other.admin.get('/settings/working-calendar')).body).toMatchObject({ version: 1, dayStartMinute: won });
  });

  it('keeps workspaces apart', async () => {
    const other = await s.newWorkspace('Чужая компания');
    expect((await other.admin.put('/settings/working-calendar/overrides/2026-09-21', { kind: 'off' })).status).toBe(200);
    expect((await other.admin.put('/settings/working-calendar/years/2029', { holidays: ['2029-01-01'], workingWeekends: [], shortDays: [] })).status).toBe(200);
    expect((await other.admin.patch('/settings/working-calendar', { version: 0, dayStartMinute: 420 })).status).toBe(200);

    const ours = (await s.admin.get('/settings/working-calendar')).body;
    expect(ours.overrides).toEqual([]);
    expect(ours.dayStartMinute).toBe(540);
    expect(ours.years.map((y: any) => y.year)).not.toContain(2029);
    expect((await workingTime()).dayKind('2026-09-21')).toBe('work');
    expect((await workingTime(other.workspaceId)).dayKind('2026-09-21')).toBe('off');
    // their exception is not ours to remove
    expect((await s.admin.delete('/settings/working-calendar/overrides/2026-09-21')).status).toBe(404);
    const theirs = (await other.admin.get('/settings/working-calendar')).body;
    expect(theirs).toMatchObject({ dayStartMinute: 420, version: 1 });
    expect(theirs.years.find((y: any) => y.year === 2029)).toMatchObject({ source: 'loaded' });
    expect((await s.admin.get('/settings/working-calendar/days', { year: 2029 })).body.published).toBe(false);
  });
});
