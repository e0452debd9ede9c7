import { forwardRef, memo, type CSSProperties, type HTMLAttributes, type KeyboardEvent } from 'react';
import { Group, Paper, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/use-format';
import { useCompanyName, useContactName } from './names';
import { useWarmDeal } from './use-warm-deal';
import type { BoardDeal } from './types';

export interface DealCardProps extends HTMLAttributes<HTMLDivElement> {
  deal: BoardDeal;
  responsibleName?: string;
  /** shown under the pointer while dragging */
  overlay?: boolean;
  /** the placeholder left where the dragged card is */
  ghost?: boolean;
  onOpen?: (id: number, via: 'click' | 'key') => boolean | void;
}

/**
 * A deal on the board: title, amount, company / contact, responsible and the next activity
 * (red when overdue; a warning when there is no next step). Focusable; Enter opens the deal.
 */
export const DealCard = memo(
  forwardRef<HTMLDivElement, DealCardProps>(function DealCard({ deal, responsibleName, overlay, ghost, onOpen, style, onKeyDown, ...rest }, ref) {
    const { t } = useTranslation();
    const fmt = useFormat();
    const company = useCompanyName(deal.companyId);
    const contact = useContactName(deal.contactId);
    const deadline = deal.nextActivity?.deadline ?? null;
    const warm = useWarmDeal(deal.id);

    const keyDown = (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.key === 'Enter' && onOpen && !e.defaultPrevented && e.target === e.currentTarget && onOpen(deal.id, 'key') !== false) {
        e.preventDefault();
        return;
      }
      onKeyDown?.(e);
    };

    const cardStyle: CSSProperties = {
      cursor: overlay ? 'grabbing' : 'grab',
      opacity: ghost ? 0.35 : 1,
      boxShadow: overlay ? 'var(--mantine-shadow-lg)' : undefined,
      touchAction: 'manipulation',
      borderLeft: deal.overdue ? '3px solid var(--mantine-color-red-6)' : undefined,
      ...style,
    };

    return (
      <Paper
        ref={ref}
        withBorder
        radius="sm"
        p="xs"
        data-testid="deal-card"
        data-deal-id={deal.id}
        className="board-card"
        style={cardStyle}
        onClick={() => onOpen?.(deal.id, 'click')}
        onKeyDown={keyDown}
        {...(overlay ? undefined : warm)}
        {...rest}
      >
        <Text size="sm" fw={600} lineClamp={2} style={{ wordBreak: 'break-word' }}>
          {deal.title}
        </Text>
        <Text size="sm" fw={500} mt={2} c={deal.amount ? undefined : 'dimmed'}>
          {fmt.money(deal.amount, deal.currency, { compactZeroFraction: true })}
        </Text>
        {(company || contact) && (
          <Text size="xs" c="dimmed" lineClamp={1} mt={2}>
            {[company, contact].filter(Boolean).join(' · ')}
          </Text>
        )}
        <Group justify="space-between" gap={4} mt={6} wrap="nowrap">
          <Text size="xs" c="dimmed" truncate title={responsibleName}>
            {responsibleName ?? ''}
          </Text>
          {deadline ? (
            <Text size="xs" fw={deal.overdue ? 700 : 400} c={deal.overdue ? 'red.9' : 'dimmed'} style={{ whiteSpace: 'nowrap' }} data-testid="next-activity">
              {deal.overdue ? `${t('board.card.overdue')} ` : ''}
              {fmt.date(deadline)}
            </Text>
          ) : deal.noNextStep ? (
            <Tooltip label={t('board.card.noNextStepHint')} withArrow openDelay={300}>
              <Text size="xs" c="orange.9" fw={600} style={{ whiteSpace: 'nowrap' }} data-testid="no-next-step">
                <span aria-hidden="true">⚠ </span>
                {t('board.card.noNextStep')}
              </Text>
            </Tooltip>
          ) : null}
        </Group>
      </Paper>
    );
  }),
);
