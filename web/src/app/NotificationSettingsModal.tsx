import { Checkbox, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors';
import { NOTIFICATION_KINDS, useNotificationPreferences, useSaveNotificationPreferences } from './notifications';

/** The user's own notification settings: which kinds also come by e-mail (saved on each change). */
export function NotificationSettingsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const prefs = useNotificationPreferences(opened);
  const save = useSaveNotificationPreferences();

  return (
    <Modal opened={opened} onClose={onClose} title={t('notifications.settings.title')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('notifications.settings.emailHint')}
        </Text>
        {prefs.isPending ? (
          <Loader size="sm" />
        ) : prefs.isError ? (
          <Text size="sm" c="red">
            {errorMessage(t, prefs.error)}
          </Text>
        ) : (
          NOTIFICATION_KINDS.map((kind) => (
            <Checkbox
              key={kind}
              label={t(`notifications.kinds.${kind}`)}
              checked={prefs.data.email[kind]}
              disabled={save.isPending}
              data-testid={`notification-email-${kind}`}
              onChange={(e) =>
                save.mutate(
                  { [kind]: e.currentTarget.checked },
                  { onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }) },
                )
              }
            />
          ))
        )}
      </Stack>
    </Modal>
  );
}
