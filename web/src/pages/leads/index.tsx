import { Navigate, Route, Routes } from 'react-router';
import { LeadCard } from './LeadCard';
import { LeadCreate } from './LeadCreate';
import { LeadsPage } from './LeadsPage';

// /leads — the list or (?view=board) the board by status; /leads/new — create; /leads/:id — the card.
export default function LeadsRoutes() {
  return (
    <Routes>
      <Route index element={<LeadsPage />} />
      <Route path="new" element={<LeadCreate />} />
      <Route path=":id" element={<LeadCard />} />
      <Route path="*" element={<Navigate to="/leads" replace />} />
    </Routes>
  );
}
