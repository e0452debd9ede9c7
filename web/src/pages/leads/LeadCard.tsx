import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { Section } from '../../components/crm/card-parts';
import { RecordCard } from '../../components/crm/RecordCard';
import { RefName } from '../../components/crm/RecordList';
import { useFormat } from '../../lib/use-format';
import { ConvertDialog } from './ConvertDialog';
import { leadConfig, semanticColor } from './config';

const UTM = ['utmSource', 'utmMedium', 'utmCampaign', 'utmContent', 'utmTerm'] as const;

export function LeadCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const location = useLocation();
  const [convertOpen, setConvertOpen] = useState(() => !!(location.state as { convert?: boolean } | null)?.convert);
  return (
    <RecordCard
      config={leadConfig}
      headerActions={(lead) => (
        <>
          <Badge size="lg" variant="light" color={semanticColor(lead.statusSemantic)} data-testid="lead-status">
            <RefName kind="lead-statuses" id={lead.statusId} fallback={lead.statusSemantic} />
          </Badge>
          {lead.statusSemantic !== 'converted' && <Button onClick={() => setConvertOpen(true)}>{t('leads.convert.action')}</Button>}
        </>
      )}
      banner={(lead) =>
        lead.statusSemantic === 'converted' && (
          <Alert color="green" mb="md" title={t('leads.convertedTitle', { date: lead.convertedAt ? fmt.dateTime(lead.convertedAt) : '' })} data-testid="lead-converted">
            <Group gap="md">
              {lead.convertedDealId && (
                <Anchor component={Link} to={`/deals/${lead.convertedDealId}`}>
                  {t('leads.openDeal', { id: lead.convertedDealId })}
                </Anchor>
              )}
              {lead.convertedContactId && (
                <Anchor component={Link} to={`/contacts/${lead.convertedContactId}`}>
                  {t('leads.openContact')}
                </Anchor>
              )}
              {lead.convertedCompanyId && (
                <Anchor component={Link} to={`/companies/${lead.convertedCompanyId}`}>
                  {t('leads.openCompany')}
                </Anchor>
              )}
            </Group>
          </Alert>
        )
      }
      sections={(lead) => {
        const utm = UTM.filter((k) => lead[k]);
        return (
          utm.length > 0 && (
            <Section title={t('leads.utm')}>
              <Table>
                <Table.Tbody>
                  {utm.map((k) => (
                    <Table.Tr key={k}>
                      <Table.Th w={160}>{t(`crm.fields.${k}`)}</Table.Th>
                      <Table.Td>{lead[k]}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )
        );
      }}
      dialogs={(lead) => convertOpen && <ConvertDialog lead={lead} opened={convertOpen} onClose={() => setConvertOpen(false)} />}
    />
  );
}
