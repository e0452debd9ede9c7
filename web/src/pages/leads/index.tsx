import { RecordRoutes } from '../../components/crm/RecordRoutes';
import { LeadCard } from './LeadCard';
import { LeadsPage } from './LeadsPage';
import { leadConfig } from './config';

// /leads — the list or (?view=board) the board by status; /leads/new — create; /leads/:id — the card.
export default function LeadsRoutes() {
  return <RecordRoutes config={leadConfig} list={<LeadsPage />} card={<LeadCard />} />;
}
