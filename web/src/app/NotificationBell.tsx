import { ActionIcon, Anchor, Box, Button, Group, Indicator, Loader, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Icon } from '../components/icons';
import { useFormat } from '../lib/use-format';
import { notificationHref, notificationTarget, useMarkRead, useNotificationList, useUnreadCount, type AppNotification } from './notifications';

const badge = (count: number) => (count > 99 ? '99+' : String(count));

/** The bell in the top bar: the unread count (live), the latest notifications with links to their records, "mark all read". */
export function NotificationBell() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const count = useUnreadCount();
  const list = useNotificationList(opened);
  const markRead = useMarkRead();
  const unread = count ?? 0;

  const open = async (n: AppNotification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    if (!notificationHref(n)) return;
    close();
    const href = await notificationTarget(n);
    if (href) navigate(href);
  };

  return (
    // the badge wraps the popover, not its target: the target gets the popup's ARIA attributes, which a div may not carry
    <Indicator label={badge(unread)} size={16} disabled={unread === 0} offset={4} color="red.8" data-testid="notification-count">
    <Popover opened={opened} onChange={(o) => (o ? undefined : close())} position="bottom-end" width={360} withinPortal shadow="md">
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          size="lg"
          onClick={toggle}
          aria-label={unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}
          data-testid="notification-bell"
        >
          <Icon name="bell" size={20} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="sm" py={8} wrap="nowrap">
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0 || markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420} type="auto">
          {list.isPending ? (
            <Group justify="center" p="md">
              <Loader size="sm" />
            </Group>
          ) : list.isError ? (
            <Text size="sm" c="red" p="sm">
              {t('notifications.loadFailed')}
            </Text>
          ) : list.data.items.length === 0 ? (
            <Text size="sm" c="dimmed" p="sm">
              {t('notifications.empty')}
            </Text>
          ) : (
            <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="notification-list">
              {list.data.items.map((n) => {
                const href = notificationHref(n);
                return (
                  <Box component="li" key={n.id} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                    <UnstyledButton onClick={() => void open(n)} px="sm" py={8} w="100%" bg={n.readAt ? undefined : 'blue.0'} data-unread={n.readAt ? undefined : 'true'}>
                      <Text size="sm" fw={n.readAt ? 400 : 600} lineClamp={2}>
                        {n.title}
                      </Text>
                      {n.body && (
                        // the daily digest is a list by manager: its lines are kept and more of them shown
                        <Text size="xs" c="dimmed" lineClamp={n.kind === 'digest' ? 14 : 2} style={n.kind === 'digest' ? { whiteSpace: 'pre-line' } : undefined}>
                          {n.body}
                        </Text>
                      )}
                      <Group gap={6} justify="space-between" wrap="nowrap">
                        <Text size="xs" c="dimmed">
                          {t(`notifications.kinds.${n.kind}`)} · {fmt.dateTime(n.createdAt)}
                        </Text>
                        {href && (
                          <Anchor component="span" size="xs">
                            {t('notifications.open')}
                          </Anchor>
                        )}
                      </Group>
                    </UnstyledButton>
                  </Box>
                );
              })}
            </Stack>
          )}
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
    </Indicator>
  );
}
