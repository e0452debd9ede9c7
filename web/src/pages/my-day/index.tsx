import { useMemo, useState } from 'react';
import { Accordion, Badge, Grid, Group, Select, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useDepartments, useUsers } from '../../api/lookups';
import type { User } from '../../api/types';
import { useCurrentUser } from '../../auth/session';
import { PageHeader, PageLoader, QueryError } from '../../components/page';
import { invalidateForActivity } from '../../components/record/activity';
import { ActivityFormModal } from '../../components/record/ActivityForm';
import { ActivityList, ActivityRow, type RowActions } from '../../components/record/ActivityRow';
import { useActivityActions } from '../../components/record/use-activity-actions';
import { useFormat } from '../../lib/use-format';
import { canSeeTeam, defaultTeamDepartments, groupByManager, subtreeIds, type Activity, type DealItem } from './my-day-logic';
import { DealNoStepItem, Section } from './parts';
import { useCallPhones, useDayLists, useExactCounts, useOwnerTitles, usePlaceChanged, type DayLists } from './use-my-day';

// "My day": the signed-in user's overdue activities first, today's, the next 7 days and the deals
// that have no next step. A head of sales (or an administrator) switches to the department view:
// the same lists for every manager of the department, grouped by manager, with counters.

export default function MyDayPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const team = canSeeTeam(me.permissions);
  const [params, setParams] = useSearchParams();
  const view = team && params.get('view') === 'team' ? 'team' : 'mine';

  return (
    <>
      <PageHeader
        title={t('myDay.title')}
        actions={
          team ? (
            <SegmentedControl
              aria-label={t('myDay.viewLabel')}
              value={view}
              onChange={(v) => {
                const next = new URLSearchParams(params);
                if (v === 'team') next.set('view', 'team');
                else {
                  next.delete('view');
                  next.delete('department');
                }
                setParams(next, { replace: true });
              }}
              data={[
                { value: 'mine', label: t('myDay.viewMine') },
                { value: 'team', label: t('myDay.viewTeam') },
              ]}
            />
          ) : undefined
        }
      />
      {view === 'team' ? <TeamDay /> : <PersonalDay />}
    </>
  );
}

/** Complete, cancel, edit and reschedule activities; plan the next step of a deal that has none. */
function useActions() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const placeChanged = usePlaceChanged();
  const activities = useActivityActions({ onChanged: placeChanged });
  const [planning, setPlanning] = useState<DealItem | null>(null);
  const modals = (
    <>
      {activities.modals}
      <ActivityFormModal
        opened={planning !== null}
        title={t('myDay.planTitle', { title: planning?.title ?? '' })}
        owner={planning ? { type: 'deal', id: planning.id } : null}
        defaultResponsibleId={planning?.responsibleId}
        onClose={() => setPlanning(null)}
        onSaved={(a) => invalidateForActivity(qc, a)}
      />
    </>
  );
  return { forRow: activities.forRow, onPlan: setPlanning, modals };
}

/** The activities of one group, with the titles of their records (and the numbers to dial for calls). */
function Activities({ items, titles, forRow, label }: { items: Activity[]; titles: Map<string, string>; forRow: (a: Activity) => RowActions | undefined; label: string }) {
  const phones = useCallPhones(items);
  return (
    <ActivityList label={label}>
      {items.map((a) => (
        <ActivityRow key={a.id} activity={a} testId="my-day-activity" owner={{ title: ownerTitle(titles, a) }} showResponsible={false} actions={forRow(a)} phones={phones.get(a.id)} />
      ))}
    </ActivityList>
  );
}

function dealTitles(noNextStep: DayLists['noNextStep']): Map<string, string> {
  return new Map((noNextStep?.items ?? []).map((d) => [`deal:${d.id}`, d.title]));
}

/** Titles of the records of every listed activity (deals already listed are not read again). */
function useListTitles(lists: DayLists): Map<string, string> {
  const known = useMemo(() => dealTitles(lists.noNextStep), [lists.noNextStep]);
  const allActivities = useMemo(
    () => [...(lists.overdue?.items ?? []), ...(lists.today?.items ?? []), ...(lists.upcoming?.items ?? [])],
    [lists.overdue, lists.today, lists.upcoming],
  );
  return useOwnerTitles(allActivities, known);
}

function PersonalDay() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lists = useDayLists(['me'], fmt.timeZone);
  const titles = useListTitles(lists);
  const { forRow, onPlan, modals } = useActions();

  if (lists.error) return <QueryError error={lists.error} onRetry={lists.refetch} />;
  if (lists.isPending) return <PageLoader />;
  const overdue = lists.overdue!.items;
  const today = lists.today!.items;
  const upcoming = lists.upcoming!.items;
  const deals = lists.noNextStep!.items;
  const nothing = !overdue.length && !today.length && !upcoming.length && !deals.length;

  return (
    <>
      <Text c="dimmed" size="sm" mb="sm" data-testid="my-day-summary">
        {nothing
          ? t('myDay.allClear')
          : [
              t('myDay.summary.overdue', { count: lists.overdue!.total ?? overdue.length }),
              t('myDay.summary.today', { count: lists.today!.total ?? today.length }),
              t('myDay.summary.noNextStep', { count: lists.noNextStep!.total ?? deals.length }),
            ].join(' · ')}
      </Text>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Section testId="group-overdue" title={t('myDay.overdue')} count={overdue.length} total={lists.overdue!.total} empty={t('myDay.emptyOverdue')} tone="red">
              <Activities items={overdue} titles={titles} forRow={forRow} label={t('myDay.overdue')} />
            </Section>
            <Section testId="group-today" title={t('myDay.today')} count={today.length} total={lists.today!.total} empty={t('myDay.emptyToday')}>
              <Activities items={today} titles={titles} forRow={forRow} label={t('myDay.today')} />
            </Section>
            <Section testId="group-upcoming" title={t('myDay.upcoming')} count={upcoming.length} total={lists.upcoming!.total} empty={t('myDay.emptyUpcoming')}>
              <Activities items={upcoming} titles={titles} forRow={forRow} label={t('myDay.upcoming')} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section testId="group-no-next-step" title={t('myDay.noNextStep')} count={deals.length} total={lists.noNextStep!.total} empty={t('myDay.emptyNoNextStep')}>
            {deals.map((d) => (
              <DealNoStepItem key={d.id} d={d} onPlan={onPlan} />
            ))}
          </Section>
        </Grid.Col>
      </Grid>
      {modals}
    </>
  );
}

const ownerTitle = (titles: Map<string, string>, a: Activity) => (a.entityType && a.entityId ? titles.get(`${a.entityType}:${a.entityId}`) : undefined);

function TeamDay() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const departments = useDepartments();
  const directory = useUsers();
  const picked = params.get('department');
  const pickedId = picked ? Number(picked) : null;

  // which departments the view covers; null = everyone the user may see
  const scopeDepartments = useMemo(() => {
    if (!departments.data) return undefined;
    if (pickedId) return subtreeIds(departments.data, pickedId);
    return defaultTeamDepartments(me.permissions, me.user.departmentId, departments.data);
  }, [departments.data, pickedId, me.permissions, me.user.departmentId]);

  const members = useMemo(() => {
    const users = directory.data ?? [];
    if (scopeDepartments === undefined) return [];
    return scopeDepartments === null ? users : users.filter((u) => u.departmentId != null && scopeDepartments.includes(u.departmentId));
  }, [directory.data, scopeDepartments]);

  // Without a picked department the server's own scope is the team (no waiting for the user
  // directory); a picked department narrows the lists to its people (responsibleId repeated).
  const responsible = pickedId ? (members.length ? members.map((m) => m.id) : [-1]) : undefined;
  const ready = !pickedId || (!!departments.data && !!directory.data);
  const lists = useDayLists(responsible?.[0] === -1 ? undefined : responsible, fmt.timeZone, ready && responsible?.[0] !== -1);
  const exact = useExactCounts(lists, members.map((m) => m.id), fmt.timeZone);
  const titles = useListTitles(lists);
  const { forRow, onPlan, modals } = useActions();

  const groups = useMemo(() => {
    if (!lists.overdue || !lists.today || !lists.upcoming || !lists.noNextStep) return [];
    const byId = new Map((directory.data ?? []).map((u) => [u.id, u]));
    return groupByManager<Pick<User, 'id' | 'name'>>(
      members,
      { overdue: lists.overdue.items, today: lists.today.items, upcoming: lists.upcoming.items, noNextStep: lists.noNextStep.items },
      (id) => byId.get(id) ?? { id, name: t('myDay.userNumber', { id }) },
      exact,
    );
  }, [lists.overdue, lists.today, lists.upcoming, lists.noNextStep, members, directory.data, exact, t]);

  const [opened, setOpened] = useState<string[] | null>(null);
  const defaultOpen = groups.filter((g) => g.counters.overdue > 0).map((g) => String(g.user.id));
  const openValue = opened ?? defaultOpen;

  const error = lists.error ?? departments.error ?? directory.error;
  if (error) return <QueryError error={error} onRetry={() => { lists.refetch(); void departments.refetch(); void directory.refetch(); }} />;

  // a head picks among the departments they lead; an administrator among all
  const allowed = departments.data ? defaultTeamDepartments(me.permissions, me.user.departmentId, departments.data) : null;
  const depOptions = (departments.data ?? []).filter((d) => allowed === null || allowed.includes(d.id)).map((d) => ({ value: String(d.id), label: d.name }));
  const emptyTeam = responsible?.[0] === -1;
  return (
    <>
      <Group mb="md" align="flex-end">
        <Select
          label={t('myDay.department')}
          placeholder={t('myDay.allDepartments')}
          data={depOptions}
          value={picked}
          clearable
          searchable
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v) next.set('department', v);
            else next.delete('department');
            setParams(next, { replace: true });
            setOpened(null);
          }}
          w={280}
        />
      </Group>
      {emptyTeam ? (
        <Text c="dimmed">{t('myDay.emptyDepartment')}</Text>
      ) : lists.isPending || !directory.data ? (
        <PageLoader />
      ) : !groups.length ? (
        <Text c="dimmed">{t('myDay.emptyDepartment')}</Text>
      ) : (
        <Accordion multiple value={openValue} onChange={setOpened} variant="separated" chevronPosition="left">
          {groups.map((g) => (
            <Accordion.Item key={g.user.id} value={String(g.user.id)} data-testid="manager-group" data-manager={g.user.name}>
              <Accordion.Control aria-label={t('myDay.managerLabel', { name: g.user.name, overdue: g.counters.overdue, today: g.counters.today, noNextStep: g.counters.noNextStep })}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text fw={600}>{g.user.name}</Text>
                  <Group gap={6}>
                    <Badge color="red" variant={g.counters.overdue ? 'filled' : 'light'} data-testid="counter-overdue" tt="none">
                      {t('myDay.summary.overdue', { count: g.counters.overdue })}
                    </Badge>
                    <Badge color="blue" variant="light" data-testid="counter-today" tt="none">
                      {t('myDay.summary.today', { count: g.counters.today })}
                    </Badge>
                    <Badge color="orange" variant="light" data-testid="counter-no-next-step" tt="none">
                      {t('myDay.summary.noNextStep', { count: g.counters.noNextStep })}
                    </Badge>
                  </Group>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, md: 7 }}>
                    <Stack gap="sm">
                      <Section testId="group-overdue" title={t('myDay.overdue')} count={g.overdue.length} total={exact.get(g.user.id)?.overdue} empty={t('myDay.emptyOverdueTeam')} tone="red">
                        <Activities items={g.overdue} titles={titles} forRow={forRow} label={t('myDay.overdue')} />
                      </Section>
                      <Section testId="group-today" title={t('myDay.today')} count={g.today.length} total={exact.get(g.user.id)?.today} empty={t('myDay.emptyTodayTeam')}>
                        <Activities items={g.today} titles={titles} forRow={forRow} label={t('myDay.today')} />
                      </Section>
                      {g.upcoming.length > 0 && (
                        <Section testId="group-upcoming" title={t('myDay.upcoming')} count={g.upcoming.length} empty="">
                          <Activities items={g.upcoming} titles={titles} forRow={forRow} label={t('myDay.upcoming')} />
                        </Section>
                      )}
                    </Stack>
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, md: 5 }}>
                    <Section testId="group-no-next-step" title={t('myDay.noNextStep')} count={g.noNextStep.length} total={exact.get(g.user.id)?.noNextStep} empty={t('myDay.emptyNoNextStepTeam')}>
                      {g.noNextStep.map((d) => (
                        <DealNoStepItem key={d.id} d={d} onPlan={onPlan} />
                      ))}
                    </Section>
                  </Grid.Col>
                </Grid>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      {modals}
    </>
  );
}
