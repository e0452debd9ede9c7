import { Navigate, Route, Routes } from 'react-router';
import { ContactCard } from './ContactCard';
import { ContactCreate } from './ContactCreate';
import { ContactsList } from './ContactsList';

// /contacts — the list with filters and search; /contacts/new — create; /contacts/:id — the card.
export default function ContactsPage() {
  return (
    <Routes>
      <Route index element={<ContactsList />} />
      <Route path="new" element={<ContactCreate />} />
      <Route path=":id" element={<ContactCard />} />
      <Route path="*" element={<Navigate to="/contacts" replace />} />
    </Routes>
  );
}
