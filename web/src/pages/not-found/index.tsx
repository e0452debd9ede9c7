import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Empty, usePageTitle } from '../../components/page';

export default function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <Empty
      title={t('notFound.title')}
      description={t('notFound.text')}
      action={
        <Button component={Link} to="/deals">
          {t('common.toHome')}
        </Button>
      }
    />
  );
}
