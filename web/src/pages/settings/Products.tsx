import { useState } from 'react';
import { Badge, Button, Checkbox, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { CurrencySign } from '../../components/CurrencySign';
import { FormModal } from '../../components/FormModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { errorMessage, notifyError } from '../../lib/errors';
import { parseMoney } from '../../lib/format';
import { useFormat } from '../../lib/use-format';
import { useWorkspace } from '../../app/workspace';
import { moneyToText } from '../deal-card/product-draft';
import type { CatalogProduct, VatRate } from '../deal-card/types';

// The product catalog (GET/POST/PATCH/DELETE /products; writes are the administrators'): the
// products deal rows are picked from, with price, unit and VAT. «В архив» deactivates a product
// (DELETE): deal rows keep it, the pickers stop offering it; it can be brought back.

interface Product extends CatalogProduct {
  version: number;
}

interface Form {
  name: string;
  sku: string;
  price: string;
  unitName: string;
  vatRate: VatRate;
  vatIncluded: boolean;
}

const VAT: VatRate[] = ['22', '20', '10', '7', '5', '0', 'none'];
const KEY = ['products', 'catalog'] as const;

export default function ProductsSettings() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const currency = useWorkspace().data?.currency ?? 'RUB';
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const q = useQuery({
    queryKey: [...KEY, showArchived],
    queryFn: ({ signal }) => api.get<Page<Product>>('/products', { limit: 200, ...(showArchived ? {} : { active: true }) }, { signal }),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['products'] });
  const setActive = useMutation({
    mutationFn: (p: Product) => (p.active ? api.delete(`/products/${p.id}`) : api.patch(`/products/${p.id}`, { active: true, version: p.version })),
    onSuccess: (_r, p) => {
      notifications.show({ color: 'green', message: t(p.active ? 'settings.products.archived' : 'settings.products.restored', { name: p.name }) });
      refresh();
    },
    onError: (e) => notifyError(t, e),
  });

  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.items;
  return (
    <Stack gap="md" data-testid="products-settings">
      <Group justify="space-between">
        <Checkbox label={t('settings.products.showArchived')} checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />
        <Button onClick={() => setEditing('new')}>{t('settings.products.new')}</Button>
      </Group>
      {items.length === 0 ? (
        <Empty title={t('settings.products.empty')} description={t('settings.products.emptyHint')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table withTableBorder verticalSpacing={6} data-testid="products-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.products.name')}</Table.Th>
                <Table.Th>{t('settings.products.sku')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('settings.products.price')}</Table.Th>
                <Table.Th>{t('settings.products.unit')}</Table.Th>
                <Table.Th>{t('settings.products.vat')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id} data-testid="product-item">
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm">{p.name}</Text>
                      {!p.active && (
                        <Badge size="sm" color="gray" variant="light" style={{ textTransform: 'none', flexShrink: 0 }}>
                          {t('settings.products.inArchive')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{p.sku ?? '—'}</Table.Td>
                  <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{fmt.money(p.price, p.currency)}</Table.Td>
                  <Table.Td>{p.unitName ?? '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {p.vatRate === 'none' ? t('dealCard.products.noVat') : `${p.vatRate} %`} · {p.vatIncluded ? t('dealCard.products.vatIncluded') : t('dealCard.products.vatAdded')}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(p)} aria-label={t('settings.products.editNamed', { name: p.name })}>
                        {t('settings.products.edit')}
                      </Button>
                      <Button size="xs" variant="subtle" color={p.active ? 'red' : 'blue'} loading={setActive.isPending && setActive.variables?.id === p.id} onClick={() => setActive.mutate(p)} aria-label={t(p.active ? 'settings.products.archiveNamed' : 'settings.products.restoreNamed', { name: p.name })}>
                        {t(p.active ? 'settings.products.archive' : 'settings.products.restore')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <ProductForm product={editing === 'new' ? null : editing} currency={editing === 'new' ? currency : editing.currency} onClose={() => setEditing(null)} onSaved={refresh} />}
    </Stack>
  );
}

function ProductForm({ product, currency, onClose, onSaved }: { product: Product | null; currency: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [form, setForm] = useState<Form>(() => ({
    name: product?.name ?? '',
    sku: product?.sku ?? '',
    price: product ? moneyToText(product.price, currency, fmt.locale) : '',
    unitName: product?.unitName ?? '',
    vatRate: product?.vatRate ?? '22',
    vatIncluded: product?.vatIncluded ?? true,
  }));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => (product ? api.patch(`/products/${product.id}`, { ...body, version: product.version }) : api.post('/products', { ...body, currency })),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('settings.products.saved', { name: form.name.trim() }) });
      onSaved();
      onClose();
    },
  });
  const submit = () => {
    const errs: typeof errors = {};
    if (!form.name.trim()) errs.name = t('settings.products.nameRequired');
    const price = parseMoney(form.price.trim() || '0', currency);
    if (price === null || price < 0) errs.price = t('settings.products.badPrice');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    save.mutate({ name: form.name.trim(), sku: form.sku.trim() || null, price, unitName: form.unitName.trim() || null, vatRate: form.vatRate, vatIncluded: form.vatIncluded });
  };
  return (
    <FormModal opened title={product ? t('settings.products.editTitle', { name: product.name }) : t('settings.products.newTitle')} onClose={onClose} onSubmit={submit} loading={save.isPending}>
      <TextInput data-autofocus label={t('settings.products.name')} required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={500} />
      <TextInput label={t('settings.products.sku')} value={form.sku} onChange={(e) => set('sku', e.currentTarget.value)} maxLength={100} />
      <Group grow align="flex-start">
        <TextInput label={t('settings.products.price')} inputMode="decimal" rightSection={<CurrencySign currency={currency} />} value={form.price} onChange={(e) => set('price', e.currentTarget.value)} error={errors.price} />
        <TextInput label={t('settings.products.unit')} placeholder={t('dealCard.products.unitPlaceholder')} value={form.unitName} onChange={(e) => set('unitName', e.currentTarget.value)} maxLength={50} />
      </Group>
      <Group grow align="flex-start">
        <Select
          label={t('settings.products.vat')}
          data={VAT.map((v) => ({ value: v, label: v === 'none' ? t('dealCard.products.noVat') : `${v} %` }))}
          value={form.vatRate}
          onChange={(v) => v && set('vatRate', v as VatRate)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('settings.products.vatMode')}
          data={[
            { value: 'included', label: t('dealCard.products.vatIncluded') },
            { value: 'added', label: t('dealCard.products.vatAdded') },
          ]}
          value={form.vatIncluded ? 'included' : 'added'}
          onChange={(v) => set('vatIncluded', v !== 'added')}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {save.isError && (
        <Text c="red" size="sm" role="alert">
          {errorMessage(t, save.error)}
        </Text>
      )}
    </FormModal>
  );
}
