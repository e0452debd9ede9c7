import { useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Alert, Autocomplete, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { Page } from '../../api/types';
import { localizeFieldMessage } from '../../components/record/server-message';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { useFormat } from '../../lib/use-format';
import { PageLoader, QueryError } from '../../components/page';
import { useDeal } from './deal-context';
import { applyProduct, emptyRow, fromServer, liveRowTotals, liveTotals, serverSignature, signature, toInput, type DraftRow, type RowErrors } from './product-draft';
import type { CatalogProduct, Deal, DealProducts, VatRate } from './types';
import classes from './deal-card.module.css';
import { markBoardsStale } from '../../api/deals';

// The deal's product rows: an editable table (a product from the catalog or any name, price in
// roubles, quantity, unit, discount, VAT rate, VAT included or added on top) saved as a whole
// (PUT /deals/{id}/products). Row and deal totals follow the typing (the server's arithmetic, run
// in the browser: product-draft.ts) and are the server's own once saved.

const VAT_OPTIONS: VatRate[] = ['22', '10', '0', 'none'];

export const productsKey = (id: number) => ['deals', id, 'products'] as const;

export function useDealProducts(id: number, enabled = true) {
  return useQuery({
    queryKey: productsKey(id),
    queryFn: ({ signal }) => api.get<DealProducts>(`/deals/${id}/products`, undefined, { signal }),
    enabled,
  });
}

export function ProductRows() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const { deal, canEdit } = useDeal();
  const products = useDealProducts(deal.id);
  const currency = products.data?.currency ?? deal.currency;
  // rows being edited survive a session expiry or a reload (sessionStorage); null: as saved
  const [drafts, setDrafts] = useDraft<DraftRow[] | null>(`deal-products:${deal.id}`, null);
  const [rowErrors, setRowErrors] = useState<Record<number, RowErrors | Record<string, string>>>({});
  const [stale, setStale] = useState(false);
  const [generalError, setGeneralError] = useState<string | null>(null);

  const saved = products.data;
  const savedSigs = useMemo(() => saved?.rows.map(serverSignature) ?? [], [saved]);
  const rows = drafts ?? saved?.rows.map((r) => fromServer(r, currency, fmt.locale)) ?? [];
  const sigs = rows.map((r) => signature(r, currency));
  const dirty = drafts !== null && (sigs.length !== savedSigs.length || sigs.some((s, i) => s !== savedSigs[i]));
  // what the totals would be as typed: null while a row's figures are not valid yet
  const live = dirty ? liveTotals(rows, currency) : saved?.totals ?? null;
  const symbol = fmt.currencySymbol(currency);

  // a fresh answer from the server (after saving, or someone else's change) replaces clean drafts
  useEffect(() => {
    if (!dirty) setDrafts(null);
    // only a fresh answer from the server drops clean drafts; `dirty` going false
    // while the user edits (a row typed back to its saved value) must not throw the edit away.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [saved]);

  const update = (key: string, change: Partial<DraftRow>) => {
    setDrafts(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
    setGeneralError(null);
  };

  const put = async (body: { rows: unknown[]; version: number }, retried = false): Promise<DealProducts> => {
    try {
      return await api.put<DealProducts>(`/deals/${deal.id}/products`, body);
    } catch (e) {
      if (!retried && isApiError(e) && e.code === 'version_conflict') {
        // someone changed the deal: if the rows are still what we started from, our edit stands
        const fresh = await api.get<DealProducts>(`/deals/${deal.id}/products`);
        const unchanged = JSON.stringify(fresh.rows.map(serverSignature)) === JSON.stringify(savedSigs);
        const current = e.current as Deal | null;
        if (unchanged && current) {
          qc.setQueryData<Deal>(['deals', deal.id], current);
          return put({ ...body, version: current.version }, true);
        }
        qc.setQueryData(productsKey(deal.id), saved);
        setStale(true);
      }
      throw e;
    }
  };

  const save = useMutation({
    mutationFn: (body: { rows: unknown[]; version: number }) => put(body),
    onSuccess: (res) => {
      setStale(false);
      setRowErrors({});
      setDrafts(null);
      qc.setQueryData(productsKey(deal.id), res);
      qc.setQueryData<Deal>(['deals', deal.id], (d) => (d ? { ...d, version: res.version, amount: res.rows.length ? res.totals.total : d.amount } : d));
      void qc.invalidateQueries({ queryKey: ['deals', deal.id], predicate: (q) => q.queryKey[2] !== 'products' });
      markBoardsStale(qc);
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'version_conflict') return;
      if (isApiError(e) && e.fields.length) {
        const byRow: Record<number, Record<string, string>> = {};
        let general: string | null = null;
        for (const f of e.fields) {
          const m = /^rows\[(\d+)\](?:\.(\w+))?/.exec(f.path);
          if (m) {
            const i = Number(m[1]);
            byRow[i] = { ...byRow[i], [m[2] ?? 'row']: localizeFieldMessage(t, f.message) };
          } else general = localizeFieldMessage(t, f.message);
        }
        setRowErrors(byRow);
        setGeneralError(general);
      } else setGeneralError(errorMessage(t, e));
    },
  });

  const submit = () => {
    const errs: Record<number, RowErrors> = {};
    const inputs = rows.map((r, i) => {
      const res = toInput(r, currency);
      if (res.errors) errs[i] = Object.fromEntries(Object.entries(res.errors).map(([k, v]) => [k, t(`dealCard.products.errors.${v}`)]));
      return res.row;
    });
    setRowErrors(errs);
    if (Object.keys(errs).length) return;
    const current = qc.getQueryData<Deal>(['deals', deal.id]) ?? deal;
    save.mutate({ rows: inputs, version: current.version });
  };

  if (products.isPending) return <PageLoader />;
  if (products.isError) return <QueryError error={products.error} onRetry={() => void products.refetch()} />;

  const editable = canEdit;
  return (
    <Stack gap="sm" data-testid="product-rows">
      {stale && (
        <Alert color="orange" title={t('dealCard.products.conflictTitle')} role="alert">
          <Stack gap="xs" align="flex-start">
            <span>{t('dealCard.products.conflictText')}</span>
            <Button
              size="xs"
              color="orange"
              onClick={() => {
                setDrafts(null);
                setStale(false);
                setRowErrors({});
                void qc.invalidateQueries({ queryKey: ['deals', deal.id] });
              }}
            >
              {t('dealCard.products.reload')}
            </Button>
          </Stack>
        </Alert>
      )}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dealCard.products.empty')}
        </Text>
      ) : (
        <div className={classes.rowsScroll}>
          <div className={classes.rows} role="list" aria-label={t('dealCard.products.title')}>
            <div className={`${classes.row} ${classes.rowHead}`} aria-hidden="true">
              <span className={classes.cNo}>№</span>
              <span className={classes.cName}>{t('dealCard.products.name')}</span>
              <span className={classes.cPrice}>{t('dealCard.products.price', { currency: symbol })}</span>
              <span className={classes.cQty}>{t('dealCard.products.quantity')}</span>
              <span className={classes.cUnit}>{t('dealCard.products.unit')}</span>
              <span className={classes.cTotal}>{t('dealCard.products.total')}</span>
            </div>
              {rows.map((r, i) => {
                const savedRow = sigs[i] !== null && sigs[i] === savedSigs[i] ? saved?.rows[i] : undefined;
                const rowTotals = savedRow ?? liveRowTotals(r, currency);
                const err = (rowErrors[i] ?? {}) as Record<string, string | undefined>;
                const n = i + 1;
                return (
                  <div key={r.key} className={classes.row} role="listitem" data-testid="product-row">
                    <div className={classes.cNo}>{n}</div>
                    <div className={classes.cName}>
                      <ProductNameInput
                        row={r}
                        label={t('dealCard.products.nameRow', { n })}
                        readOnly={!editable}
                        error={err.name ?? err.productId ?? err.row}
                        onName={(name) => update(r.key, { name, productId: r.productId !== null && name === r.name ? r.productId : null })}
                        onPick={(p) => {
                          setDrafts(rows.map((x) => (x.key === r.key ? applyProduct(x, p, currency, fmt.locale) : x)));
                        }}
                      />
                    </div>
                    <div className={classes.cPrice}>
                      <TextInput
                        aria-label={t('dealCard.products.priceRow', { n })}
                        inputMode="decimal"
                        value={r.price}
                        readOnly={!editable}
                        onChange={(e) => update(r.key, { price: e.currentTarget.value })}
                        error={err.price}
                        size="xs"
                      />
                    </div>
                    <div className={classes.cQty}>
                      <TextInput
                        aria-label={t('dealCard.products.quantityRow', { n })}
                        inputMode="decimal"
                        value={r.quantity}
                        readOnly={!editable}
                        onChange={(e) => update(r.key, { quantity: e.currentTarget.value })}
                        error={err.quantity}
                        size="xs"
                      />
                    </div>
                    <div className={classes.cUnit}>
                      <TextInput
                        aria-label={t('dealCard.products.unitRow', { n })}
                        value={r.unitName}
                        readOnly={!editable}
                        placeholder={t('dealCard.products.unitPlaceholder')}
                        onChange={(e) => update(r.key, { unitName: e.currentTarget.value, unitCode: null })}
                        error={err.unitName}
                        size="xs"
                      />
                    </div>
                    <div className={classes.cDiscount}>
                      <Group gap={4} wrap="nowrap" align="center">
                        <Text size="xs" c="dimmed" aria-hidden w={52}>
                          {t('dealCard.products.discount')}
                        </Text>
                        <Select
                          aria-label={t('dealCard.products.discountTypeRow', { n })}
                          size="xs"
                          w={70}
                          readOnly={!editable}
                          allowDeselect={false}
                          data={[
                            { value: 'none', label: '—' },
                            { value: 'percent', label: '%' },
                            { value: 'amount', label: symbol },
                          ]}
                          value={r.discountType}
                          onChange={(v) => update(r.key, { discountType: (v ?? 'none') as DraftRow['discountType'], discount: v === 'none' ? '' : r.discount })}
                          comboboxProps={{ withinPortal: true }}
                        />
                        <TextInput
                          aria-label={t('dealCard.products.discountRow', { n })}
                          size="xs"
                          inputMode="decimal"
                          disabled={r.discountType === 'none'}
                          readOnly={!editable}
                          value={r.discount}
                          onChange={(e) => update(r.key, { discount: e.currentTarget.value })}
                          error={err.discount}
                        />
                      </Group>
                    </div>
                    <div className={classes.cVat}>
                      <Group gap={4} wrap="nowrap" align="center">
                        <Text size="xs" c="dimmed" aria-hidden>
                          {t('dealCard.products.vat')}
                        </Text>
                        <Select
                          aria-label={t('dealCard.products.vatRow', { n })}
                          size="xs"
                          w={82}
                          readOnly={!editable}
                          allowDeselect={false}
                          data={(VAT_OPTIONS.includes(r.vatRate) ? VAT_OPTIONS : [...VAT_OPTIONS, r.vatRate]).map((v) => ({
                            value: v,
                            label: v === 'none' ? t('dealCard.products.noVat') : fmt.percent(Number(v) / 100, 0),
                          }))}
                          value={r.vatRate}
                          onChange={(v) => update(r.key, { vatRate: (v ?? '22') as VatRate })}
                          comboboxProps={{ withinPortal: true }}
                        />
                        <Select
                          aria-label={t('dealCard.products.vatModeRow', { n })}
                          size="xs"
                          w={104}
                          readOnly={!editable}
                          allowDeselect={false}
                          disabled={r.vatRate === 'none' || r.vatRate === '0'}
                          data={[
                            { value: 'included', label: t('dealCard.products.vatIncluded') },
                            { value: 'added', label: t('dealCard.products.vatAdded') },
                          ]}
                          value={r.vatIncluded ? 'included' : 'added'}
                          onChange={(v) => update(r.key, { vatIncluded: v !== 'added' })}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </Group>
                    </div>
                    <div className={classes.cTotal} data-testid="product-row-total">
                      {rowTotals ? (
                        <Stack gap={0} align="flex-end">
                          <Text size="sm" fw={500}>
                            {fmt.money(rowTotals.total, currency)}
                          </Text>
                          {rowTotals.vatAmount > 0 && (
                            <Text size="xs" c="dimmed">
                              {t('dealCard.products.vatShort', { amount: fmt.money(rowTotals.vatAmount, currency) })}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed" title={t('dealCard.products.noTotal')}>
                          {t('record.value.none')}
                        </Text>
                      )}
                    </div>
                    {editable && (
                      <div className={classes.cRemove}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('dealCard.products.removeRow', { n })}
                          onClick={() => setDrafts(rows.filter((x) => x.key !== r.key))}
                        >
                          ✕
                        </ActionIcon>
                      </div>
                    )}
                  </div>
                );
              })}
          </div>
        </div>
      )}
      {generalError && (
        <Text size="sm" c="red" role="alert">
          {generalError}
        </Text>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        {editable ? (
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => setDrafts([...rows, emptyRow()])}>
              {t('dealCard.products.add')}
            </Button>
            {dirty && (
              <>
                <Button size="xs" onClick={submit} loading={save.isPending}>
                  {t('dealCard.products.save')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setDrafts(null);
                    setRowErrors({});
                    setGeneralError(null);
                  }}
                >
                  {t('dealCard.products.discard')}
                </Button>
              </>
            )}
          </Group>
        ) : (
          <span />
        )}
        {rows.length > 0 && (
          <Stack gap={2} align="flex-end" data-testid="product-totals" aria-live="polite">
            {live ? (
              <>
                {live.discount > 0 && (
                  <Text size="sm">
                    {t('dealCard.products.totalDiscount')}: {fmt.money(live.discount, currency)}
                  </Text>
                )}
                <Text size="sm">
                  {t('dealCard.products.totalNet')}: {fmt.money(live.net, currency)}
                </Text>
                {live.vatByRate
                  .filter((v) => v.vatRate !== 'none')
                  .map((v) => (
                    <Text size="sm" key={v.vatRate}>
                      {t('dealCard.products.totalVat', { rate: v.vatRate })}: {fmt.money(v.vatAmount, currency)}
                    </Text>
                  ))}
                <Text size="lg" fw={700} data-testid="products-grand-total">
                  {t('dealCard.products.grandTotal')}: {fmt.money(live.total, currency)}
                </Text>
              </>
            ) : (
              <Text size="sm" c="dimmed" data-testid="products-grand-total">
                {t('dealCard.products.noTotal')}
              </Text>
            )}
            {dirty && (
              <Text size="xs" c="orange.9">
                {t('dealCard.products.unsaved')}
              </Text>
            )}
          </Stack>
        )}
      </Group>
    </Stack>
  );
}

function ProductNameInput({
  row,
  label,
  readOnly,
  error,
  onName,
  onPick,
}: {
  row: DraftRow;
  label: string;
  readOnly: boolean;
  error?: string;
  onName: (name: string) => void;
  onPick: (p: CatalogProduct) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [focused, setFocused] = useState(false);
  const [q] = useDebouncedValue(row.name.trim(), 250);
  const found = useQuery({
    queryKey: ['products', 'pick', q],
    queryFn: ({ signal }) => api.get<Page<CatalogProduct>>('/products', { q, active: true, limit: 10 }, { signal }),
    enabled: focused && q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const byLabel = useRef(new Map<string, CatalogProduct>());
  const data = useMemo(() => {
    const map = new Map<string, CatalogProduct>();
    for (const p of found.data?.items ?? []) {
      let key = p.sku ? `${p.name} (${p.sku})` : p.name;
      if (map.has(key)) key = `${key} #${p.id}`;
      map.set(key, p);
    }
    byLabel.current = map;
    return [...map.keys()];
  }, [found.data]);
  return (
    <Autocomplete
      aria-label={label}
      size="xs"
      placeholder={t('dealCard.products.namePlaceholder')}
      value={row.name}
      readOnly={readOnly}
      data={focused ? data : []}
      filter={({ options }) => options}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onChange={(v) => {
        const p = byLabel.current.get(v);
        if (p) onPick(p);
        else onName(v);
      }}
      renderOption={({ option }) => {
        const p = byLabel.current.get(option.value);
        return (
          <Group justify="space-between" wrap="nowrap" w="100%" gap="xs">
            <Text size="sm">{option.value}</Text>
            {p && (
              <Text size="xs" c="dimmed">
                {fmt.money(p.price, p.currency)}
              </Text>
            )}
          </Group>
        );
      }}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
