import { useTranslation } from 'react-i18next';
import { nameOf, useReferenceList } from '../../api/lookups';
import { Section } from '../../components/crm/card-parts';
import { mergeComms, mergeScalar } from '../../components/crm/merge-preview';
import { RecordCard } from '../../components/crm/RecordCard';
import { CompanyContacts } from './CompanyContacts';
import { companyConfig } from './config';

export function CompanyCard() {
  const { t } = useTranslation();
  const types = useReferenceList('company-types').data;
  const industries = useReferenceList('industries').data;
  return (
    <RecordCard
      config={companyConfig}
      sections={(company) => (
        <Section title={t('companies.contacts')}>
          <CompanyContacts companyId={company.id} />
        </Section>
      )}
      dealsBy="companyId"
      mergeRows={(s, o) => [
        mergeScalar('name', s.name, o.name),
        mergeScalar('typeId', s.typeId, o.typeId, (v) => nameOf(types, v as number) ?? ''),
        mergeScalar('industryId', s.industryId, o.industryId, (v) => nameOf(industries, v as number) ?? ''),
        mergeScalar('website', s.website, o.website),
        mergeScalar('address', s.address, o.address),
        mergeScalar('inn', s.requisites.inn, o.requisites.inn),
        mergeScalar('kpp', s.requisites.kpp, o.requisites.kpp),
        ...mergeComms(s, o),
        mergeScalar('comment', s.comment, o.comment),
      ]}
    />
  );
}
