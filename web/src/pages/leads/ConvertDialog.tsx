import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Checkbox, Group, List, Modal, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import type { Page } from '../../api/types';
import { EntityPicker, hitToPicked } from '../../components/crm/EntityPicker';
import { usePipelines } from '../../api/lookups';
import { errorMessage } from '../../lib/errors';
import { CustomFieldInputs } from '../../components/record/CustomFields';
import { useFormat } from '../../lib/use-format';
import { afterConvertPath, buildConvertBody, companyQueries, exactDuplicate, initialConvertState, type ConvertState, type Mode } from './convert-logic';
import { customErrorsOf, useRequiredFields, type ConvertPart } from './use-required-fields';
import type { Lead } from './types';
import { CurrencySign } from '../../components/CurrencySign';

// Convert a lead: any of deal / contact / company; contact and company new (prefilled from the
// lead) or existing (search; the lead's likely duplicates — same phone, e-mail, name — first).

/** Contacts/companies that look like the lead: found by its phones, e-mails, person and company name. */
function useSuggestions(lead: Lead) {
  const contactQs = [...lead.phones.map((p) => p.normalized ?? p.value), ...lead.emails.map((e) => e.value), [lead.lastName, lead.firstName].filter(Boolean).join(' ')].filter((q) => q.trim().length >= 2).slice(0, 4);
  const companyQs = [...companyQueries(lead.companyName), ...lead.phones.map((p) => p.normalized ?? p.value)].filter((q) => q.trim().length >= 2).slice(0, 4);
  const run = (entity: 'contacts' | 'companies', qs: string[]) =>
    qs.map((q) => ({
      queryKey: [entity, 'pick', q],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Page<Parameters<typeof hitToPicked>[0]>>(`/${entity}`, { q, limit: 5 }, { signal }),
      staleTime: 30_000,
    }));
  const contacts = useQueries({ queries: run('contacts', contactQs) });
  const companies = useQueries({ queries: run('companies', companyQs) });
  const unique = (lists: Array<{ data?: Page<Parameters<typeof hitToPicked>[0]> }>) => {
    const seen = new Set<number>();
    const out: Array<Parameters<typeof hitToPicked>[0]> = [];
    for (const l of lists) for (const h of l.data?.items ?? []) if (!seen.has(h.id)) {
      seen.add(h.id);
      out.push(h);
    }
    return out;
  };
  const contactHits = unique(contacts);
  const companyHits = unique(companies);
  return {
    contacts: contactHits.map(hitToPicked),
    companies: companyHits.map(hitToPicked),
    /** the exact duplicates, once every search has answered (undefined before) */
    exact: contacts.concat(companies).some((q) => q.isPending)
      ? undefined
      : { contact: exactDuplicate('contact', lead, contactHits), company: exactDuplicate('company', lead, companyHits) },
  };
}

export function ConvertDialog({ lead, opened, onClose }: { lead: Lead; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [state, setState] = useState<ConvertState>(() => initialConvertState(lead));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pipelines = usePipelines().data;
  const suggestions = useSuggestions(lead);
  const required = useRequiredFields();
  const fmt = useFormat();
  const set = <P extends keyof ConvertState>(part: P, patch: Partial<ConvertState[P]>) => setState((s) => ({ ...s, [part]: { ...s[part], ...patch } }));
  // An exact duplicate (same company name; same person with a shared phone or e-mail) is linked by
  // default — creating it again is the explicit choice of «Создать». Decided once, when the searches
  // have answered, and not over a choice the user has made.
  const touched = useRef(new Set<'contact' | 'company'>());
  const [linkedExact, setLinkedExact] = useState<{ contact?: string; company?: string }>({});
  const exact = suggestions.exact;
  const decided = useRef(false);
  useEffect(() => {
    if (!exact || decided.current) return;
    decided.current = true;
    const linked: { contact?: string; company?: string } = {};
    for (const part of ['contact', 'company'] as const) {
      const hit = exact[part];
      if (!hit || touched.current.has(part)) continue;
      linked[part] = hitToPicked(hit).label;
      setState((s) => ({ ...s, [part]: { ...s[part], mode: 'existing', existingId: hit.id } }));
    }
    setLinkedExact(linked);
  }, [exact]);
  const choose = (part: 'contact' | 'company', patch: Partial<ConvertState['contact']> & Partial<ConvertState['company']>) => {
    touched.current.add(part);
    set(part, patch);
  };

  const convert = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ lead: Lead; deal?: { id: number }; contact?: { id: number }; company?: { id: number } }>(`/leads/${lead.id}/convert`, body),
    onSuccess: (res) => {
      qc.setQueryData(['leads', lead.id], res.lead);
      void qc.invalidateQueries({ queryKey: ['leads'] });
      void qc.invalidateQueries({ queryKey: ['deals'] });
      void qc.invalidateQueries({ queryKey: ['contacts'] });
      void qc.invalidateQueries({ queryKey: ['companies'] });
      notifications.show({ color: 'green', message: t('leads.convert.done') });
      onClose();
      navigate(afterConvertPath(res, lead.id));
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });

  const submit = () => {
    const { body, errors: local } = buildConvertBody(state, lead);
    const custom = required.apply(body, { currency: lead.currency, timeZone: fmt.timeZone });
    if (Object.keys(local).length || Object.keys(custom).length) {
      setErrors({
        ...Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(`leads.convert.errors.${v}`)])),
        ...Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, t(`record.custom.${v}`)])),
      });
      return;
    }
    setErrors({});
    convert.mutate(body);
  };

  // errors the fields below do not show (e.g. `deal.create.stageId`, `contact.create.phones[0].value`)
  const shown = new Set(['deal.create.title', 'deal.create.amount', 'deal.create.pipelineId', 'contact.create.lastName', 'contact.create.firstName', 'contact.create.middleName', 'contact.create.position', 'contact.id', 'company.create.name', 'company.id', 'deal']);
  const other = Object.entries(errors).filter(([k]) => !shown.has(k) && !/^(deal|contact|company)\.create\.custom\./.test(k));
  /** The required custom fields of a record the conversion creates. */
  const requiredInputs = (part: ConvertPart) =>
    required.defs[part].length > 0 && (
      <Stack gap={4} mt="sm">
        <Text size="xs" c="dimmed">
          {t('leads.convert.requiredFields')}
        </Text>
        <CustomFieldInputs defs={required.defs[part]} values={required.drafts[part]} onChange={(code, v) => required.change(part, code, v)} errors={customErrorsOf(errors, part)} currency={lead.currency} />
      </Stack>
    );

  const pipelineOptions = useMemo(() => (pipelines ?? []).map((p) => ({ value: String(p.id), label: p.name })), [pipelines]);
  const modeSwitch = (part: 'contact' | 'company', value: Mode) => (
    <SegmentedControl
      size="xs"
      aria-label={t(`leads.convert.${part}Mode`)}
      value={value}
      onChange={(v) => choose(part, { mode: v as Mode })}
      data={[
        { value: 'new', label: t('leads.convert.createNew') },
        { value: 'existing', label: t('leads.convert.linkExisting') },
      ]}
    />
  );

  return (
    <Modal opened={opened} onClose={onClose} title={t('leads.convert.title', { title: lead.title })} size="xl">
      {/* our messages, in the interface's language, not the browser's bubbles */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack>
          <Text size="sm">{t('leads.convert.explain')}</Text>
          {errors.deal && (
            <Alert color="red" role="alert">
              {errors.deal}
            </Alert>
          )}

          <Paper withBorder p="sm">
            <Checkbox label={t('leads.convert.deal')} checked={state.deal.enabled} onChange={(e) => set('deal', { enabled: e.currentTarget.checked })} fw={500} />
            {state.deal.enabled && (
              <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm" spacing="sm">
                <TextInput label={t('leads.convert.dealTitle')} value={state.deal.title} onChange={(e) => set('deal', { title: e.currentTarget.value })} error={errors['deal.create.title']} />
                <TextInput label={t('crm.fields.amount')} value={state.deal.amount} inputMode="decimal" rightSection={<CurrencySign currency={lead.currency} />} onChange={(e) => set('deal', { amount: e.currentTarget.value })} error={errors['deal.create.amount']} />
                <Select label={t('leads.convert.pipeline')} placeholder={t('leads.convert.defaultPipeline')} data={pipelineOptions} value={state.deal.pipelineId} onChange={(v) => set('deal', { pipelineId: v })} clearable error={errors['deal.create.pipelineId']} />
              </SimpleGrid>
            )}
            {state.deal.enabled && requiredInputs('deal')}
          </Paper>

          <Paper withBorder p="sm">
            <Group justify="space-between">
              <Checkbox label={t('leads.convert.contact')} checked={state.contact.enabled} onChange={(e) => set('contact', { enabled: e.currentTarget.checked })} fw={500} />
              {state.contact.enabled && modeSwitch('contact', state.contact.mode)}
            </Group>
            {state.contact.enabled && state.contact.mode === 'new' && (
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm" spacing="sm">
                {(['lastName', 'firstName', 'middleName', 'position'] as const).map((k) => (
                  <TextInput key={k} label={t(`crm.fields.${k}`)} value={state.contact[k]} onChange={(e) => set('contact', { [k]: e.currentTarget.value })} error={errors[`contact.create.${k}`]} />
                ))}
              </SimpleGrid>
            )}
            {state.contact.enabled && state.contact.mode === 'new' && requiredInputs('contact')}
            {state.contact.enabled && state.contact.mode === 'new' && suggestions.contacts.length > 0 && (
              <Alert color="yellow" mt="sm" title={t('leads.convert.maybeExists')}>
                <List size="sm">
                  {suggestions.contacts.slice(0, 3).map((c) => (
                    <List.Item key={c.id}>
                      {c.label}
                      {c.hint ? ` · ${c.hint}` : ''}{' '}
                      <Button size="compact-xs" variant="subtle" onClick={() => choose('contact', { mode: 'existing', existingId: c.id })}>
                        {t('leads.convert.useThis')}
                      </Button>
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {state.contact.enabled && state.contact.mode === 'existing' && (
              <EntityPicker
                entity="contacts"
                label={t('leads.convert.pickContact')}
                value={state.contact.existingId}
                onChange={(p) => choose('contact', { existingId: p?.id ?? null })}
                suggestions={suggestions.contacts}
                error={errors['contact.id']}
              />
            )}
            {state.contact.enabled && state.contact.mode === 'existing' && linkedExact.contact && state.contact.existingId === exact?.contact?.id && (
              <Text size="xs" c="dimmed" mt={4} data-testid="exact-contact">
                {t('leads.convert.exactContact', { name: linkedExact.contact })}
              </Text>
            )}
          </Paper>

          <Paper withBorder p="sm">
            <Group justify="space-between">
              <Checkbox label={t('leads.convert.company')} checked={state.company.enabled} onChange={(e) => set('company', { enabled: e.currentTarget.checked })} fw={500} />
              {state.company.enabled && modeSwitch('company', state.company.mode)}
            </Group>
            {state.company.enabled && state.company.mode === 'new' && (
              <TextInput mt="sm" label={t('leads.convert.companyName')} value={state.company.name} onChange={(e) => set('company', { name: e.currentTarget.value })} error={errors['company.create.name']} />
            )}
            {state.company.enabled && state.company.mode === 'new' && requiredInputs('company')}
            {state.company.enabled && state.company.mode === 'new' && suggestions.companies.length > 0 && (
              <Alert color="yellow" mt="sm" title={t('leads.convert.maybeExists')}>
                <List size="sm">
                  {suggestions.companies.slice(0, 3).map((c) => (
                    <List.Item key={c.id}>
                      {c.label}{' '}
                      <Button size="compact-xs" variant="subtle" onClick={() => choose('company', { mode: 'existing', existingId: c.id })}>
                        {t('leads.convert.useThis')}
                      </Button>
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {state.company.enabled && state.company.mode === 'existing' && (
              <EntityPicker
                entity="companies"
                label={t('leads.convert.pickCompany')}
                value={state.company.existingId}
                onChange={(p) => choose('company', { existingId: p?.id ?? null })}
                suggestions={suggestions.companies}
                error={errors['company.id']}
              />
            )}
            {state.company.enabled && state.company.mode === 'existing' && linkedExact.company && state.company.existingId === exact?.company?.id && (
              <Text size="xs" c="dimmed" mt={4} data-testid="exact-company">
                {t('leads.convert.exactCompany', { name: linkedExact.company })}
              </Text>
            )}
          </Paper>

          {(other.length > 0 || (convert.isError && !Object.keys(errors).length)) && (
            <Alert color="red" role="alert" title={t('errors.title')}>
              {other.length ? (
                <List size="sm">
                  {other.map(([k, v]) => (
                    <List.Item key={k}>
                      {t(`leads.convert.paths.${k.split('.')[0]}`, { defaultValue: k.split('.')[0] })} · {k.split('.').slice(2).join('.') || k}: {v}
                    </List.Item>
                  ))}
                </List>
              ) : (
                errorMessage(t, convert.error)
              )}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={convert.isPending}>
              {t('leads.convert.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
