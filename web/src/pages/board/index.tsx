import { useCallback, useEffect, useMemo } from 'react';
import { Alert, Button, Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePipelines } from '../../api/lookups';
import { useIsAdmin } from '../../auth/session';
import { useMayCreate } from '../../auth/use-may-act';
import { useWorkspace } from '../../app/Layout';
import { DealCardPage } from '../../app/pages';
import { Empty, PageHeader, PageLoader, QueryError } from '../../components/page';
import { BoardView } from './BoardView';
import { FilterBar, type FiltersUpdate } from './FilterBar';
import { countFilters, EMPTY_FILTERS, parseFilters, queryKeyPart, toApiQuery, writeFilters } from './filters';
import { boardKey, useBoard } from './use-board';
import './board.css';

const LAST_PIPELINE = 'voronka.board.pipeline';
function rememberedPipeline(): number {
  try {
    return Number(localStorage.getItem(LAST_PIPELINE)) || 0;
  } catch {
    return 0;
  }
}
function rememberPipeline(id: number): void {
  try {
    localStorage.setItem(LAST_PIPELINE, String(id));
  } catch {
    // private mode: no memory, no harm
  }
}

// The deal card is where a manager goes from here: its code is fetched once the board has shown
// its cards (not before: the first render is what the manager waits for), so that opening a card
// does not wait for it.
const loadDealCard = () => void DealCardPage.preload().catch(() => undefined);

/** The deal board (kanban) of a pipeline: /deals?pipeline=<id>&<filters>. */
export default function BoardPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines();
  const currency = useWorkspace().data?.currency ?? 'RUB';
  const mayCreate = useMayCreate('deal');

  const filters = useMemo(() => parseFilters(params), [params]);
  const asked = Number(params.get('pipeline')) || 0;
  const list = pipelines.data ?? [];
  const pipeline = list.find((p) => p.id === asked) ?? list.find((p) => p.isDefault) ?? list[0] ?? null;
  // No waterfall: while the pipelines load, the board of the asked pipeline (or, with none asked,
  // of the one /deals showed last time: the default) loads beside them, and index.html's early
  // script asks for that same board; if the guess is wrong, the list corrects it.
  const guess = asked || rememberedPipeline();
  const pipelineId = pipelines.data ? (pipeline?.id ?? null) : guess || null;
  useEffect(() => {
    if (pipeline && !asked) rememberPipeline(pipeline.id);
  }, [pipeline, asked]);

  const query = useMemo(() => toApiQuery(filters, currency), [filters, currency]);
  const keyPart = useMemo(() => queryKeyPart(query), [query]);
  const key = useMemo(() => boardKey(pipelineId ?? 0, keyPart), [pipelineId, keyPart]);
  const board = useBoard(pipelineId, query, keyPart);
  const boardShown = board.isSuccess;
  useEffect(() => {
    if (boardShown) loadDealCard();
  }, [boardShown]);

  // An update applies to the address as it is now (react-router hands an updater the parameters of
  // the last render): a click right after the search box wrote its text must keep that text.
  const setFilters = useCallback(
    (update: FiltersUpdate) =>
      setParams(
        () => {
          const now = new URLSearchParams(window.location.search);
          return writeFilters(now, typeof update === 'function' ? update(parseFilters(now)) : update);
        },
        { replace: true },
      ),
    [setParams],
  );
  const setPipeline = (id: string | null) =>
    id &&
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('pipeline', id);
      return next;
    });

  const filtered = countFilters(filters) > 0 || filters.q.trim() !== '';
  const switcher = list.length > 0 && (
    <Select
      aria-label={t('board.pipeline')}
      data={list.map((p) => ({ value: String(p.id), label: p.name }))}
      value={pipelineId ? String(pipelineId) : null}
      onChange={setPipeline}
      allowDeselect={false}
      w={240}
      data-testid="pipeline-switcher"
    />
  );

  let body;
  if (pipelines.isPending) body = <PageLoader />;
  else if (pipelines.isError) body = <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  else if (!pipeline)
    body = (
      <Empty
        title={t('board.noPipelines')}
        description={isAdmin ? t('board.noPipelinesAdmin') : t('board.noPipelinesUser')}
        action={
          isAdmin && (
            <Button component={Link} to="/settings/pipelines">
              {t('board.toSettings')}
            </Button>
          )
        }
      />
    );
  else if (board.isPending || board.data?.pipeline.id !== pipeline.id) body = <PageLoader />;
  else if (board.isError) body = <QueryError error={board.error} onRetry={() => void board.refetch()} />;
  else {
    const total = board.data.columns.reduce((n, c) => n + c.count, 0);
    body = (
      <>
        {total === 0 && filtered && (
          <Alert color="gray" mb="sm" title={t('board.nothingFound')}>
            <Button size="xs" variant="light" onClick={() => setFilters(EMPTY_FILTERS)}>
              {t('board.filters.reset')}
            </Button>
          </Alert>
        )}
        {total === 0 && !filtered && board.data.columns.length > 0 && (
          <Alert color="blue" mb="sm" title={t('board.emptyTitle')}>
            {t('board.emptyText')}
          </Alert>
        )}
        <BoardView board={board.data} boardKey={key} pipelineId={pipeline.id} query={query} refreshing={board.isFetching && board.isPlaceholderData} />
      </>
    );
  }

  return (
    <div className="board-page">
      <PageHeader
        title={t('board.title')}
        actions={
          <Group gap="sm">
            {switcher}
            {mayCreate && (
              <Button component={Link} to={pipelineId ? `/deals/new?pipelineId=${pipelineId}` : '/deals/new'} data-testid="new-deal">
                {t('dealNew.title')}
              </Button>
            )}
          </Group>
        }
      />
      <FilterBar filters={filters} onChange={setFilters} />
      {body}
    </div>
  );
}
