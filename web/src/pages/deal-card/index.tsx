import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Placeholder } from '../../components/Placeholder';

// Placeholder: replace with the real deal card (keep the default export; routes lazy-load it).
export default function DealCardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  return <Placeholder title={t('dealCard.title', { id })} />;
}
