import { useTranslation } from 'react-i18next';
import { Placeholder } from '../../components/Placeholder';

// Placeholder: replace with the real screen (keep the default export; routes lazy-load it).
export default function BoardPage() {
  const { t } = useTranslation();
  return <Placeholder title={t('board.title')} />;
}
