import { Avatar, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ChangePasswordModal } from '../auth/ChangePasswordModal';
import { useCurrentUser, useLogout } from '../auth/session';
import { Icon } from '../components/icons';
import { NotificationSettingsModal } from './NotificationSettingsModal';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');

export function UserMenu() {
  const { t } = useTranslation();
  const { user } = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const [passwordOpen, password] = useDisclosure(false);
  const [notificationsOpen, notificationSettings] = useDisclosure(false);

  return (
    <>
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          {/* named by its visible text (the user's name), so that voice control can say what is seen */}
          <UnstyledButton data-testid="user-menu">
            <Group gap={8} wrap="nowrap">
              <Avatar size={32} radius="xl" color="blue" alt="" aria-hidden>
                {initials(user.name || user.email)}
              </Avatar>
              <VisuallyHidden>{t('userMenu.label')}:</VisuallyHidden>
              <Text size="sm" fw={500} visibleFrom="md" truncate maw={160}>
                {user.name}
              </Text>
              <VisuallyHidden hiddenFrom="md">{user.name}</VisuallyHidden>
              <Icon name="chevronDown" size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{user.email}</Menu.Label>
          <Menu.Item leftSection={<Icon name="key" size={16} />} onClick={password.open}>
            {t('userMenu.changePassword')}
          </Menu.Item>
          <Menu.Item leftSection={<Icon name="bell" size={16} />} onClick={notificationSettings.open}>
            {t('userMenu.notifications')}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item
            leftSection={<Icon name="logout" size={16} />}
            onClick={() => {
              void logout
                .mutateAsync()
                .catch(() => undefined) // logged out locally either way
                .finally(() => {
                  navigate('/login', { replace: true });
                  notifications.show({ message: t('auth.loggedOut') });
                });
            }}
          >
            {t('userMenu.logout')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={passwordOpen} onClose={password.close} />
      <NotificationSettingsModal opened={notificationsOpen} onClose={notificationSettings.close} />
    </>
  );
}
