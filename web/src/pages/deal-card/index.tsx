import { useCallback, useMemo, useRef, useState } from 'react';
import { Anchor, Paper, Skeleton, Stack, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RecordNotFound, isRecordMissing } from '../../components/record/RecordNotFound';
import { api, isApiError } from '../../api/client';
import { boardPreview, dealQuery, markBoardsStale, type BoardDealFields } from '../../api/deals';
import { useLeadsEnabled } from '../../app/workspace';
import { mayAct } from '../../auth/may-act';
import { useCurrentUser } from '../../auth/session';
import { PageLoader, QueryError, usePageTitle } from '../../components/page';
import { ActivitiesPanel } from '../../components/record/ActivitiesPanel';
import { invalidateSavedRecord } from '../../components/record/keys';
import { diffRecords } from '../../components/record/changes';
import { useCustomFieldDefs, usePipelines } from '../../api/lookups';
import { Timeline } from '../../components/record/Timeline';
import { ConflictModal, type ConflictState } from './ConflictModal';
import { CustomFields } from '../../components/record/CustomFields';
import { AutomationPanel } from './AutomationPanel';
import { DealContext, type DealContextValue } from './deal-context';
import { DealFields } from './DealFields';
import { DealHeader } from './DealHeader';
import { DealMenu } from './DealMenu';
import { ProductRows, useDealProducts } from './ProductRows';
import { StageBar } from './StageBar';
import { VISIBLE_FIELDS, type Deal, type DealPatch } from './types';
import classes from './deal-card.module.css';

// The deal card (/deals/:id): header with the title and amount, the stage bar, fields edited in
// place, custom fields, product rows; activities and the timeline on the right (below on a phone).
// All look-ups load in parallel with the deal (no waterfall but the linked contacts' names).
// Opened from the board, the card shows at once what the board knew of the deal (title, amount,
// stage), read-only, and the rest as placeholders until the deal's own answer is in.

export default function DealCardPage() {
  const { t } = useTranslation();
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const qc = useQueryClient();
  const deal = useQuery({ ...dealQuery(id), enabled: valid });
  // started together with the deal, not after it
  const pipelines = usePipelines();
  const products = useDealProducts(id, valid);
  const defs = useCustomFieldDefs('deal');
  usePageTitle(deal.data?.title ?? t('dealCard.title', { id: params.id }));

  if (!valid || isRecordMissing(deal.error)) return <RecordNotFound entity="deals" />;
  if (deal.isError) return <QueryError error={deal.error} onRetry={() => void deal.refetch()} />;
  const preview = deal.data || !valid ? undefined : boardPreview(qc, id);
  const shown = deal.data ?? (preview && previewDeal(preview));
  if (!shown) return <PageLoader />;

  const pipeline = pipelines.data?.find((p) => p.id === shown.pipelineId);
  return (
    <DealCard
      deal={shown}
      preview={!deal.data}
      pipeline={pipeline}
      pipelinesError={pipelines.error}
      hasProductRows={(products.data?.rows.length ?? 0) > 0}
      defs={defs.data ?? []}
    />
  );
}

/** A board card's deal as a Deal: what only the card shows is left empty (and not shown). */
function previewDeal(d: BoardDealFields): Deal {
  return { ...d, createdById: d.responsibleId, observerIds: [], leadId: null, probability: null, comment: null, closedAt: null, stageChangedAt: d.updatedAt, custom: {} };
}

function DealCard({
  deal,
  preview,
  pipeline,
  pipelinesError,
  hasProductRows,
  defs,
}: {
  deal: Deal;
  /** only what the board knew: read-only, sections as placeholders */
  preview: boolean;
  pipeline: ReturnType<typeof usePipelines>['data'] extends Array<infer P> | undefined ? P | undefined : never;
  pipelinesError: unknown;
  hasProductRows: boolean;
  defs: NonNullable<ReturnType<typeof useCustomFieldDefs>['data']>;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useCurrentUser();
  // with leads switched off, the lead a deal came from is kept but not shown
  const leadsOn = useLeadsEnabled() !== false;
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [overwriting, setOverwriting] = useState(false);
  const settle = useRef<{ resolve: (ok: boolean) => void; reject: (e: unknown) => void } | null>(null);

  const canEdit = !preview && mayAct(me, 'deal', 'update', deal.responsibleId);

  const saved = useCallback(
    (d: Deal) => {
      qc.setQueryData(['deals', d.id], d);
      invalidateSavedRecord(qc, 'deals', d.id);
      // a company's or contact's deals list shows the deal (its client, title, amount)
      void qc.invalidateQueries({ queryKey: ['deals', 'list'] });
      markBoardsStale(qc);
    },
    [qc],
  );

  const save = useCallback(
    async (patch: DealPatch, base: Deal): Promise<boolean> => {
      try {
        saved(await api.patch<Deal>(`/deals/${base.id}`, { ...patch, version: base.version }));
        return true;
      } catch (e) {
        if (!(isApiError(e) && e.code === 'version_conflict' && e.current)) throw e;
        const current = e.current as Deal;
        const changes = diffRecords(base as unknown as Record<string, unknown>, current as unknown as Record<string, unknown>, VISIBLE_FIELDS);
        // only things the user does not see changed (e.g. the next step): nothing to lose
        if (changes.length === 0) {
          saved(await api.patch<Deal>(`/deals/${base.id}`, { ...patch, version: current.version }));
          return true;
        }
        return new Promise<boolean>((resolve, reject) => {
          settle.current = { resolve, reject };
          setConflict({ base, current, patch, changes });
        });
      }
    },
    [saved],
  );

  const reload = () => {
    if (!conflict) return;
    qc.setQueryData(['deals', deal.id], conflict.current);
    void qc.invalidateQueries({ queryKey: ['deals', deal.id] });
    setConflict(null);
    settle.current?.resolve(false);
    settle.current = null;
  };
  const overwrite = async () => {
    if (!conflict) return;
    setOverwriting(true);
    const s = settle.current;
    settle.current = null;
    const c = conflict;
    setConflict(null);
    try {
      s?.resolve(await save(c.patch, c.current));
    } catch (e) {
      s?.reject(e);
    } finally {
      setOverwriting(false);
    }
  };

  const ctx = useMemo<DealContextValue>(() => ({ deal, canEdit, save }), [deal, canEdit, save]);

  return (
    <DealContext.Provider value={ctx}>
      <div className={classes.layout} data-testid="deal-card">
        <Stack gap="md" style={{ minWidth: 0 }}>
          <Paper withBorder p="md" component="section" aria-label={t('dealCard.sections.main')}>
            <Stack gap="md">
              <DealHeader pipeline={pipeline} hasProductRows={hasProductRows} actions={preview ? null : <DealMenu />} />
              {pipeline ? (
                <StageBar pipeline={pipeline} />
              ) : pipelinesError ? (
                <QueryError error={pipelinesError} />
              ) : null}
            </Stack>
          </Paper>
          <Section title={t('dealCard.sections.fields')}>{preview ? <Placeholder lines={6} /> : <DealFields />}</Section>
          {defs.length > 0 && (
            <Section title={t('dealCard.sections.custom')}>{preview ? <Placeholder lines={Math.min(defs.length, 4)} /> : <CustomFields entity="deal" defs={defs} record={deal} currency={deal.currency} canEdit={canEdit} save={save} />}</Section>
          )}
          <Section title={t('dealCard.products.title')}>{preview ? <Placeholder lines={2} /> : <ProductRows />}</Section>
          {deal.leadId && leadsOn && (
            <Anchor component={Link} to={`/leads/${deal.leadId}`} size="sm">
              {t('dealCard.fromLead', { id: deal.leadId })}
            </Anchor>
          )}
        </Stack>
        <Stack gap="md" style={{ minWidth: 0 }}>
          <Section title={t('dealCard.sections.activities')} testId="activities-panel">
            <ActivitiesPanel entity="deals" id={deal.id} canEdit={canEdit} />
          </Section>
          <Section title={t('dealCard.sections.timeline')} testId="timeline-panel">
            <Timeline entity="deals" id={deal.id} currency={deal.currency} />
          </Section>
          {!preview && (
            <Section title={t('dealCard.sections.automation')} testId="automation-panel">
              <AutomationPanel dealId={deal.id} />
            </Section>
          )}
        </Stack>
      </div>
      <ConflictModal conflict={conflict} saving={overwriting} onReload={reload} onOverwrite={() => void overwrite()} />
    </DealContext.Provider>
  );
}

function Placeholder({ lines }: { lines: number }) {
  return (
    <Stack gap="xs" aria-busy="true">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} height={26} radius="sm" />
      ))}
    </Stack>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title} data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
