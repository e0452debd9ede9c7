import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page';
import AutomationLog from '../settings/AutomationLog';

// The workspace's automation log (/automation/log) for a role granted automation.manage, which has
// no Settings; administrators read it at Settings → Automation log.
export default function AutomationLogPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('settings.tabs.automationLog')} />
      <AutomationLog />
    </>
  );
}
