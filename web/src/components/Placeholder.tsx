import { useTranslation } from 'react-i18next';
import { Empty, PageHeader } from './page';

/** A screen that is not written yet: its title and a calm "coming soon". Replace it with the real screen. */
export function Placeholder({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={title} />
      <Empty title={t('common.comingSoon')} />
    </>
  );
}
