import { useCallback, useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { prefetchDeal } from '../../api/deals';

// A pointer resting on a card (or the keyboard focus on it) is a good sign the deal is about to be
// opened: its data is read then, so that the card opens without waiting for the server. A pointer
// merely passing over cards on its way elsewhere reads nothing.

const REST_MS = 120;

export function useWarmDeal(id: number) {
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancel = useCallback(() => clearTimeout(timer.current), []);
  useEffect(() => cancel, [cancel]);
  const warmNow = useCallback(() => prefetchDeal(qc, id), [qc, id]);
  const warmSoon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(warmNow, REST_MS);
  }, [warmNow]);
  return { onPointerEnter: warmSoon, onPointerLeave: cancel, onFocus: warmNow };
}
