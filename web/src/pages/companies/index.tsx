import { RecordRoutes } from '../../components/crm/RecordRoutes';
import { CompaniesList } from './CompaniesList';
import { CompanyCard } from './CompanyCard';
import { companyConfig } from './config';

// /companies — the list with filters and search; /companies/new — create; /companies/:id — the card.
export default function CompaniesPage() {
  return <RecordRoutes config={companyConfig} list={<CompaniesList />} card={<CompanyCard />} />;
}
