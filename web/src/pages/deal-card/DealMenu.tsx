import { useState } from 'react';
import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { isBoardQuery } from '../../api/deals';
import { invalidateLinks } from '../../components/record/keys';
import { useMayAct } from '../../auth/use-may-act';
import { ConfirmModal } from '../../components/ConfirmModal';
import { notifyError } from '../../lib/errors';
import { useDeal } from './deal-context';

/** The deal's «Действия» menu: deleting it, after a confirmation that says what happens to its activities. */
export function DealMenu() {
  const { t } = useTranslation();
  const { deal } = useDeal();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const mayDelete = useMayAct('deal', 'delete', deal.responsibleId);
  const remove = useMutation({
    // the version: a deal someone changed meanwhile is not deleted unseen (409, the card reloads)
    mutationFn: () => api.delete(`/deals/${deal.id}`, { query: { version: deal.version } }),
    onSuccess: () => {
      setAsking(false);
      qc.removeQueries({ queryKey: ['deals', deal.id] });
      void qc.invalidateQueries({ predicate: isBoardQuery });
      // the deals lists of its company and contacts: a card not on screen must not show it from cache
      invalidateLinks(qc);
      notifications.show({ color: 'green', message: t('dealCard.delete.done', { title: deal.title }) });
      navigate(`/deals?pipeline=${deal.pipelineId}`);
    },
    onError: (e) => {
      setAsking(false);
      notifyError(t, e);
      void qc.invalidateQueries({ queryKey: ['deals', deal.id] });
    },
  });
  if (!mayDelete) return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs">
            {t('dealCard.actions')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item color="red" onClick={() => setAsking(true)}>
            {t('dealCard.delete.action')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal opened={asking} title={t('dealCard.delete.title')} confirmLabel={t('common.delete')} loading={remove.isPending} onConfirm={() => remove.mutate()} onClose={() => setAsking(false)}>
        <Text size="sm">{t('dealCard.delete.text', { title: deal.title })}</Text>
      </ConfirmModal>
    </>
  );
}
