import { RecordRoutes } from '../../components/crm/RecordRoutes';
import { ContactCard } from './ContactCard';
import { ContactsList } from './ContactsList';
import { contactConfig } from './config';

// /contacts — the list with filters and search; /contacts/new — create; /contacts/:id — the card.
export default function ContactsPage() {
  return <RecordRoutes config={contactConfig} list={<ContactsList />} card={<ContactCard />} />;
}
