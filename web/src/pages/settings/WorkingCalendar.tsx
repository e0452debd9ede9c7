import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import { ActionIcon, Alert, Box, Button, Group, NumberInput, Paper, Radio, SimpleGrid, Stack, Text, TextInput, Textarea, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import type { Schemas } from '../../api/types';
import { FormModal } from '../../components/FormModal';
import { PageLoader, QueryError } from '../../components/page';
import { type FieldErrors, notifyFailure, notifySaved, showSaveError, STALE } from './api';
import { SaveBar, SectionHeader } from './parts/layout';

// The workspace's working calendar (robots that count "working time only" use it): the working
// hours and how much shorter a pre-holiday day is, a year as twelve month grids with each day's
// kind and why (weekend, holiday, moved day off, worked weekend, short day, the administrator's
// exception), a click on a day to set or remove an exception, and the loading of a year's decree.
// A year without a decree is built from Art. 112 of the Labour Code alone, and the screen says so.

type Calendar = Schemas['WorkingCalendar'];
type Days = Schemas['WorkingCalendarDays'];
type Day = Schemas['WorkingCalendarDay'];
type Kind = Day['kind'];
const KINDS: readonly Kind[] = ['work', 'short', 'off'];
const BASE = '/settings/working-calendar';

const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const fromHhmm = (s: string): number | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && v <= 1440 ? v : null;
};

const useCalendar = () => useQuery({ queryKey: ['working-calendar'], queryFn: ({ signal }) => api.get<Calendar>(BASE, undefined, { signal }), staleTime: STALE });
const useDays = (year: number) =>
  useQuery({ queryKey: ['working-calendar', 'days', year], queryFn: ({ signal }) => api.get<Days>(`${BASE}/days`, { year }, { signal }), staleTime: STALE });

export default function WorkingCalendarSettings() {
  const calendar = useCalendar();
  // the year shown is kept in the address (?year=2028), so a link or a reload shows the same
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : new Date().getFullYear();
  const setYear = (y: number) => setParams({ year: String(y) }, { replace: true });
  if (calendar.isPending) return <PageLoader />;
  if (calendar.isError) return <QueryError error={calendar.error} onRetry={() => void calendar.refetch()} />;
  return (
    <Stack gap="md">
      <HoursForm key={calendar.data.version} calendar={calendar.data} />
      <YearView year={year} setYear={setYear} />
      <LoadYear year={year} />
    </Stack>
  );
}

function HoursForm({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const initial = { start: toHhmm(calendar.dayStartMinute), end: toHhmm(calendar.dayEndMinute), short: calendar.shortDayMinutes };
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => setErrors({}), [calendar.version]);
  const dirty = form.start !== initial.start || form.end !== initial.end || form.short !== initial.short;

  const save = useMutation({
    mutationFn: () =>
      api.patch<Calendar>(BASE, { version: calendar.version, dayStartMinute: fromHhmm(form.start), dayEndMinute: fromHhmm(form.end), shortDayMinutes: form.short }),
    onSuccess: (c) => {
      qc.setQueryData(['working-calendar'], c);
      void qc.invalidateQueries({ queryKey: ['working-calendar'] });
      notifySaved(t);
    },
    onError: (e) => {
      showSaveError(t, e, setErrors);
      if (isApiError(e) && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: ['working-calendar'] });
    },
  });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local: FieldErrors = {};
        if (fromHhmm(form.start) === null) local.dayStartMinute = t('settings.workingCalendar.badTime');
        if (fromHhmm(form.end) === null) local.dayEndMinute = t('settings.workingCalendar.badTime');
        if (Object.keys(local).length) return setErrors(local);
        save.mutate();
      }}
    >
      <Paper withBorder p="md" radius="md" maw={720}>
        <Title order={2} size="h4" mb="xs">
          {t('settings.workingCalendar.hours')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.workingCalendar.hoursHint', { timeZone: calendar.timeZone })}
        </Text>
        <Group align="flex-start" gap="md">
          <TextInput type="time" label={t('settings.workingCalendar.dayStart')} value={form.start} onChange={(e) => {
            const start = e.currentTarget.value;
            setForm((f) => ({ ...f, start }));
          }} error={errors.dayStartMinute} w={140} />
          <TextInput type="time" label={t('settings.workingCalendar.dayEnd')} value={form.end} onChange={(e) => {
            const end = e.currentTarget.value;
            setForm((f) => ({ ...f, end }));
          }} error={errors.dayEndMinute} w={140} />
          <NumberInput
            label={t('settings.workingCalendar.shortDay')}
            description={t('settings.workingCalendar.shortDayHint')}
            value={form.short}
            onChange={(v) => setForm((f) => ({ ...f, short: typeof v === 'number' ? v : Number(v) || 0 }))}
            min={0}
            max={720}
            step={15}
            allowDecimal={false}
            error={errors.shortDayMinutes}
            w={240}
          />
        </Group>
        <Box mt="md">
          <SaveBar dirty={dirty} saving={save.isPending} onDiscard={() => setForm(initial)} />
        </Box>
      </Paper>
    </form>
  );
}

const KIND_STYLE: Record<Kind, { bg: string; fg: string }> = {
  work: { bg: 'transparent', fg: 'var(--mantine-color-text)' },
  short: { bg: 'var(--mantine-color-yellow-light)', fg: 'var(--mantine-color-text)' },
  off: { bg: 'var(--mantine-color-red-light)', fg: 'var(--mantine-color-red-light-color)' },
};

function YearView({ year, setYear }: { year: number; setYear: (y: number) => void }) {
  const { t, i18n } = useTranslation();
  const days = useDays(year);
  const [editing, setEditing] = useState<Day | null>(null);
  const months = useMemo(() => {
    const byMonth: Day[][] = Array.from({ length: 12 }, () => []);
    for (const d of days.data?.days ?? []) byMonth[Number(d.date.slice(5, 7)) - 1]!.push(d);
    return byMonth;
  }, [days.data]);
  const monthName = (m: number) => new Intl.DateTimeFormat(i18n.language, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, m, 1));
  const weekdays = useMemo(
    () => Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i))),
    [i18n.language],
  );
  const describe = (d: Day) =>
    [
      new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', weekday: 'long', timeZone: 'UTC' }).format(Date.parse(`${d.date}T00:00:00Z`)),
      t(`settings.workingCalendar.kind.${d.kind}`),
      t(`settings.workingCalendar.reason.${d.reason}`),
      d.reason === 'override' ? `${t('settings.workingCalendar.byCalendar')}: ${t(`settings.workingCalendar.reason.${d.calendarReason}`)}` : null,
      d.note,
    ]
      .filter(Boolean)
      .join(' — ');

  return (
    <Paper withBorder p="md" radius="md">
      <SectionHeader
        title={t('settings.workingCalendar.yearTitle', { year })}
        action={
          <Group gap="xs">
            <ActionIcon variant="default" aria-label={t('settings.workingCalendar.prevYear')} onClick={() => setYear(year - 1)} disabled={year <= 2000}>
              ‹
            </ActionIcon>
            <Text fw={600} miw={48} ta="center">
              {year}
            </Text>
            <ActionIcon variant="default" aria-label={t('settings.workingCalendar.nextYear')} onClick={() => setYear(year + 1)} disabled={year >= 2100}>
              ›
            </ActionIcon>
          </Group>
        }
      />
      {days.isPending ? (
        <PageLoader />
      ) : days.isError ? (
        <QueryError error={days.error} onRetry={() => void days.refetch()} />
      ) : (
        <Stack gap="sm" mt="sm">
          {!days.data.published && (
            <Alert
              color="yellow"
              // the title in the body colour: Mantine's yellow on light yellow is too pale to read (axe colour contrast)
              styles={{ title: { color: 'var(--mantine-color-text)' } }}
              title={t('settings.workingCalendar.provisionalTitle', { year })}
              data-testid="calendar-provisional"
            >
              {t('settings.workingCalendar.provisional')}
            </Alert>
          )}
          <Group gap="lg">
            {days.data.decree && (
              <Text size="sm" c="dimmed">
                {days.data.decree}
              </Text>
            )}
            <Text size="sm">
              {t('settings.workingCalendar.totals', { days: days.data.workingDays, hours: Math.round((days.data.workingMinutes / 60) * 10) / 10 })}
            </Text>
          </Group>
          <Group gap="xs">
            {KINDS.map((k) => (
              <Legend key={k} style={{ background: KIND_STYLE[k].bg, border: '1px solid var(--mantine-color-default-border)' }} label={t(`settings.workingCalendar.kind.${k}`)} />
            ))}
            <Legend style={{ outline: '2px solid var(--mantine-color-blue-filled)', outlineOffset: -2 }} label={t('settings.workingCalendar.overrideLegend')} />
            <Text size="xs" c="dimmed">
              {t('settings.workingCalendar.clickHint')}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="md">
            {months.map((list, m) => (
              <Box key={m} component="section" aria-label={monthName(m)}>
                <Text fw={600} size="sm" mb={4} tt="capitalize">
                  {monthName(m)}
                </Text>
                <Box style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}>
                  {weekdays.map((w) => (
                    <Text key={w} size="xs" c="dimmed" ta="center" aria-hidden>
                      {w}
                    </Text>
                  ))}
                  {list.length > 0 && Array.from({ length: (new Date(`${list[0]!.date}T00:00:00Z`).getUTCDay() + 6) % 7 }, (_, i) => <span key={`pad${i}`} />)}
                  {list.map((d) => {
                    const style = KIND_STYLE[d.kind];
                    const label = describe(d);
                    return (
                      <UnstyledButton
                        key={d.date}
                        data-date={d.date}
                        data-kind={d.kind}
                        data-reason={d.reason}
                        title={label}
                        aria-label={label}
                        onClick={() => setEditing(d)}
                        style={{
                          background: style.bg,
                          color: style.fg,
                          borderRadius: 4,
                          textAlign: 'center',
                          fontSize: 'var(--mantine-font-size-xs)',
                          lineHeight: '24px',
                          fontWeight: d.kind === 'short' ? 600 : undefined,
                          outline: d.reason === 'override' ? '2px solid var(--mantine-color-blue-filled)' : undefined,
                          outlineOffset: -2,
                        }}
                      >
                        {Number(d.date.slice(8))}
                      </UnstyledButton>
                    );
                  })}
                </Box>
              </Box>
            ))}
          </SimpleGrid>
        </Stack>
      )}
      <OverrideModal day={editing} onClose={() => setEditing(null)} describe={describe} />
    </Paper>
  );
}

/** A swatch like a day's cell, and what it means (text in the body colour, so it reads on any theme). */
function Legend({ style, label }: { style: CSSProperties; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box w={16} h={16} style={{ borderRadius: 4, ...style }} aria-hidden />
      <Text size="xs">{label}</Text>
    </Group>
  );
}

function OverrideModal({ day, onClose, describe }: { day: Day | null; onClose: () => void; describe: (d: Day) => string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<Kind>('work');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!day) return;
    // a new exception starts from the other kind than the calendar's: that is what a click is for
    setKind(day.reason === 'override' ? day.kind : day.calendarKind === 'off' ? 'work' : 'off');
    setNote(day.note ?? '');
    setErrors({});
  }, [day]);
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['working-calendar'] });
    notifySaved(t);
    onClose();
  };
  const save = useMutation({ mutationFn: () => api.put(`${BASE}/overrides/${day!.date}`, { kind, note: note.trim() || null }), onSuccess: done, onError: (e) => showSaveError(t, e, setErrors) });
  const remove = useMutation({ mutationFn: () => api.delete(`${BASE}/overrides/${day!.date}`), onSuccess: done, onError: (e) => notifyFailure(t, e) });

  return (
    <FormModal opened={!!day} onClose={onClose} title={t('settings.workingCalendar.overrideTitle')} loading={save.isPending} onSubmit={() => save.mutate()}>
      {day && (
        <>
          <Text size="sm">{describe(day)}</Text>
          <Text size="sm" c="dimmed">
            {t('settings.workingCalendar.byCalendar')}: {t(`settings.workingCalendar.kind.${day.calendarKind}`)} ({t(`settings.workingCalendar.reason.${day.calendarReason}`)})
          </Text>
          <Radio.Group label={t('settings.workingCalendar.overrideKind')} value={kind} onChange={(v) => setKind(v as Kind)} error={errors.kind}>
            <Group gap="md" mt={4}>
              {KINDS.map((k) => (
                <Radio key={k} value={k} label={t(`settings.workingCalendar.kind.${k}`)} />
              ))}
            </Group>
          </Radio.Group>
          <TextInput label={t('settings.workingCalendar.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} error={errors.note} data-autofocus />
          {day.reason === 'override' && (
            <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending} style={{ alignSelf: 'flex-start' }}>
              {t('settings.workingCalendar.removeOverride')}
            </Button>
          )}
        </>
      )}
    </FormModal>
  );
}

/** The year as the screen shows it, in the decree's JSON form: a start for typing in the decree. */
function templateOf(days: Days, decree: string): string {
  const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
  const of = (pred: (d: Day) => boolean) => days.days.filter(pred).map((d) => d.date);
  const body = {
    decree: days.decree ?? decree,
    holidays: of((d) => d.calendarKind === 'off' && !weekend(d.date)),
    workingWeekends: of((d) => d.calendarReason === 'worked_weekend'),
    shortDays: of((d) => d.calendarKind === 'short'),
  };
  return JSON.stringify(body, null, 2);
}

function LoadYear({ year }: { year: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const days = useDays(year);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const load = useMutation({
    mutationFn: (body: unknown) => api.put(`${BASE}/years/${year}`, body),
    onSuccess: () => {
      setText('');
      setProblems([]);
      void qc.invalidateQueries({ queryKey: ['working-calendar'] });
      notifySaved(t, t('settings.workingCalendar.loaded', { year }));
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setProblems(e.fields.map((f) => `${f.path}: ${f.message}`));
      else notifyFailure(t, e);
    },
  });
  const submit = () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return setProblems([t('settings.workingCalendar.notJson')]);
    }
    load.mutate(body);
  };

  return (
    <Paper withBorder p="md" radius="md" maw={720}>
      <Title order={2} size="h4" mb="xs">
        {t('settings.workingCalendar.loadTitle', { year })}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('settings.workingCalendar.loadHint')}
      </Text>
      <Textarea
        aria-label={t('settings.workingCalendar.loadTitle', { year })}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={14}
        styles={{ input: { fontFamily: 'monospace' } }}
        // the decree is JSON with English keys
        lang="en"
        spellCheck={false}
      />
      {problems.length > 0 && (
        <Alert color="red" mt="sm" title={t('settings.workingCalendar.loadFailed')}>
          <Stack gap={2}>
            {problems.slice(0, 20).map((p) => (
              <Text key={p} size="sm">
                {p}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Group justify="flex-end" mt="sm">
        <Button variant="default" disabled={!days.data} onClick={() => days.data && setText(templateOf(days.data, t('settings.workingCalendar.decreeTitle', { year })))}>
          {t('settings.workingCalendar.template')}
        </Button>
        <Button onClick={submit} loading={load.isPending} disabled={!text.trim()}>
          {t('settings.workingCalendar.load')}
        </Button>
      </Group>
    </Paper>
  );
}
