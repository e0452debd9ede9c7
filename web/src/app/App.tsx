import { useEffect, useMemo } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { setUnauthenticatedHandler } from '../api/client';
import { createQueryClient } from '../api/query-client';
import { markSessionExpired } from '../auth/session';
import { AppRoutes } from './routes';
import { cssVariablesResolver, themeFor } from './theme';

const queryClient = createQueryClient();

/** A 401 from any call: forget the user; RequireAuth then sends them to /login?next=…&reason=expired. */
function SessionExpiryBridge() {
  const qc = useQueryClient();
  useEffect(() => setUnauthenticatedHandler(() => markSessionExpired(qc)), [qc]);
  return null;
}

export function App() {
  const { t } = useTranslation();
  const closeLabel = t('common.close');
  const theme = useMemo(() => themeFor(closeLabel), [closeLabel]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionExpiryBridge />
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
