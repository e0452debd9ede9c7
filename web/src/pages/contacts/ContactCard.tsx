import { useQueryClient } from '@tanstack/react-query';
import { nameOf, useReferenceList } from '../../api/lookups';
import { mergeComms, mergeList, mergeScalar } from '../../components/crm/merge-preview';
import { RecordCard } from '../../components/crm/RecordCard';
import { useFormat } from '../../lib/use-format';
import { contactConfig } from './config';

export function ContactCard() {
  const fmt = useFormat();
  const qc = useQueryClient();
  const types = useReferenceList('contact-types').data;
  const sources = useReferenceList('sources').data;
  return (
    <RecordCard
      config={contactConfig}
      dealsBy="contactId"
      mergeRows={(s, o) => [
        mergeScalar('lastName', s.lastName, o.lastName),
        mergeScalar('firstName', s.firstName, o.firstName),
        mergeScalar('middleName', s.middleName, o.middleName),
        mergeScalar('position', s.position, o.position),
        mergeScalar('birthday', s.birthday, o.birthday, (v) => (v ? fmt.date(v as string) : '')),
        mergeScalar('typeId', s.typeId, o.typeId, (v) => nameOf(types, v as number) ?? ''),
        mergeScalar('sourceId', s.sourceId, o.sourceId, (v) => nameOf(sources, v as number) ?? ''),
        ...mergeComms(s, o),
        mergeList('companyIds', s.companyIds, o.companyIds, String, (c) => qc.getQueryData<{ name: string }>(['companies', c])?.name ?? `#${c}`),
        mergeScalar('comment', s.comment, o.comment),
      ]}
    />
  );
}
