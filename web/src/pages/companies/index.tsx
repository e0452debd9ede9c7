import { Navigate, Route, Routes } from 'react-router';
import { CompanyCard } from './CompanyCard';
import { CompanyCreate } from './CompanyCreate';
import { CompaniesList } from './CompaniesList';

// /companies — the list with filters and search; /companies/new — create; /companies/:id — the card.
export default function CompaniesPage() {
  return (
    <Routes>
      <Route index element={<CompaniesList />} />
      <Route path="new" element={<CompanyCreate />} />
      <Route path=":id" element={<CompanyCard />} />
      <Route path="*" element={<Navigate to="/companies" replace />} />
    </Routes>
  );
}
