import { Component, type ReactNode } from 'react';
import { Alert, Button, Stack } from '@mantine/core';
import i18n from '../i18n';

interface State {
  error: Error | null;
}

/**
 * Catches a screen that throws while rendering (or a lazy chunk that failed to load after a new
 * release) so the shell stays usable. Put a `key` on it that changes with the route to reset it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error): void {
    console.error(error);
  }

  render() {
    if (!this.state.error) return this.props.children;
    const t = i18n.t.bind(i18n);
    return (
      <Alert color="red" title={t('errors.title')} role="alert" m="md">
        <Stack gap="xs" align="flex-start">
          <span>{t('errors.pageCrashed')}</span>
          <Button size="xs" variant="light" color="red" onClick={() => window.location.reload()}>
            {t('errors.reload')}
          </Button>
        </Stack>
      </Alert>
    );
  }
}
