import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { CrmRecord, RecordConfig } from './record-config';
import { RecordCreate } from './RecordCreate';

/** /<resource> — the list; /<resource>/new — the create form; /<resource>/:id — the card. */
export function RecordRoutes<R extends CrmRecord, F extends Record<string, unknown>>({ config, list, card }: { config: RecordConfig<R, F>; list: ReactNode; card: ReactNode }) {
  return (
    <Routes>
      <Route index element={list} />
      <Route path="new" element={<RecordCreate config={config} />} />
      <Route path=":id" element={card} />
      <Route path="*" element={<Navigate to={`/${config.resource}`} replace />} />
    </Routes>
  );
}
