import { Badge, SegmentedControl, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CommLinks } from '../../components/crm/CommLinks';
import { apiQuery, useUrlFilters } from '../../components/crm/list-tools';
import { NewRecordButton, RecordFilters, RecordTable, RefName, SORT_BY_DATE, createdColumn, filterKeys, linkColumn, refColumn, responsibleColumn, type Column, type FilterSpec } from '../../components/crm/RecordList';
import { PageHeader } from '../../components/page';
import { LeadBoard } from './LeadBoard';
import { semanticColor } from './config';
import type { Lead } from './types';

const COLUMNS: Array<Column<Lead>> = [
  linkColumn<Lead>('leads', 'crm.fields.title', (l) => l.title),
  {
    header: 'crm.fields.statusId',
    cell: (l) => (
      <Badge variant="light" color={semanticColor(l.statusSemantic)}>
        <RefName kind="lead-statuses" id={l.statusId} fallback={l.statusSemantic} />
      </Badge>
    ),
  },
  {
    header: 'leads.client',
    cell: (l) => (
      <>
        <Text size="sm">{[l.lastName, l.firstName].filter(Boolean).join(' ') || l.companyName || ''}</Text>
        <CommLinks phones={l.phones} emails={l.emails} max={1} size="xs" />
      </>
    ),
  },
  refColumn<Lead>('crm.fields.sourceId', 'sources', (l) => l.sourceId),
  { header: 'crm.fields.amount', align: 'right', nowrap: true, cell: (l, { fmt }) => (l.amount ? fmt.money(l.amount, l.currency, { compactZeroFraction: true }) : '') },
  responsibleColumn<Lead>(),
  createdColumn<Lead>(),
];

/** The filters; on the board the status is its columns and the order its own. */
const filterSpecs = (board: boolean): FilterSpec[] => [
  { kind: 'search' },
  { kind: 'ref', key: 'statusId', ref: 'lead-statuses', label: 'crm.fields.statusId', w: 170, hidden: board },
  { kind: 'choice', key: 'semantic', label: 'leads.semantic', options: ['in_progress', 'converted', 'junk'].map((s) => ({ value: s, label: `leads.semantics.${s}` })) },
  { kind: 'responsible' },
  { kind: 'ref', key: 'sourceId', ref: 'sources', label: 'crm.fields.sourceId' },
  { kind: 'created' },
  { kind: 'sort', options: SORT_BY_DATE, hidden: board },
];
const KEYS = filterKeys(filterSpecs(false), ['view']);

/** /leads: the list (filters, "load more") or, with ?view=board, the board by status. */
export function LeadsPage() {
  const { t } = useTranslation();
  const filters = useUrlFilters(KEYS);
  const board = filters.values.view === 'board';

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        actions={
          <>
            <SegmentedControl
              aria-label={t('leads.view')}
              value={board ? 'board' : 'list'}
              onChange={(v) => filters.set({ view: v === 'board' ? 'board' : null })}
              data={[
                { value: 'list', label: t('leads.viewList') },
                { value: 'board', label: t('leads.viewBoard') },
              ]}
            />
            <NewRecordButton resource="leads" />
          </>
        }
      />
      <RecordFilters specs={filterSpecs(board)} filters={filters} />
      {board ? <LeadBoard filters={apiQuery(filters.values, ['view', 'sort', 'statusId'])} /> : <RecordTable resource="leads" filters={filters} columns={COLUMNS} minWidth={800} />}
    </>
  );
}
