import { useCallback, useEffect, type CSSProperties, type ReactNode, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';

// A kanban column's cards, virtualised: only the cards in view (and a few around) are in the page,
// however many the column has loaded, and the next page is asked for as its end comes into view.
// The deal board and the lead board share it; each brings its own cards and drag and drop.

export interface VirtualColumnOptions<T> {
  items: readonly T[];
  getKey: (item: T) => number | string;
  scrollRef: RefObject<HTMLElement | null>;
  /** the column has more cards on the server */
  hasMore: boolean;
  /** a page is on its way, or the last one failed: do not ask again by scrolling */
  paused: boolean;
  onLoadMore: () => void;
  /** a card that must stay in the page even out of view (the one being dragged) */
  keepIndex?: number;
  estimateSize?: number;
}

export function useVirtualColumn<T>({ items, getKey, scrollRef, hasMore, paused, onLoadMore, keepIndex = -1, estimateSize = 112 }: VirtualColumnOptions<T>) {
  const rangeExtractor = useCallback(
    (range: Range) => {
      const base = defaultRangeExtractor(range);
      if (keepIndex >= 0 && !base.includes(keepIndex)) return [...base, keepIndex].sort((a, b) => a - b);
      return base;
    },
    [keepIndex],
  );
  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan: 6,
    gap: 8,
    getItemKey: (i) => (i < items.length ? getKey(items[i]!) : 'more'),
    rangeExtractor,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows[rows.length - 1]?.index;

  // infinite scroll: the end of the loaded cards came into view
  useEffect(() => {
    if (hasMore && !paused && lastIndex !== undefined && lastIndex >= items.length - 3) onLoadMore();
  }, [hasMore, paused, lastIndex, items.length, onLoadMore]);

  return virtualizer;
}

/** The rows of a virtual column: each card where the virtualiser puts it, and `more` (a loader or a retry) after the last. */
export function VirtualRows<T>({
  virtualizer,
  items,
  renderItem,
  more,
  empty,
}: {
  virtualizer: ReturnType<typeof useVirtualColumn<T>>;
  items: readonly T[];
  renderItem: (item: T, index: number) => ReactNode;
  more: ReactNode;
  /** shown when the column has no cards at all */
  empty: ReactNode;
}) {
  const rows = virtualizer.getVirtualItems();
  // The cards in view are laid out in the normal flow, one under the other, shifted down to where
  // the first of them starts: a card that grows (its company's name arrived) pushes the next ones
  // down in the same frame, instead of overlapping them until the virtualiser has measured it.
  // Only a card kept out of view (the one being dragged), whose index does not join the run of
  // those in view, is placed on its own.
  const joined = (i: number) => rows.length === 1 || rows[i - 1]?.index === rows[i]!.index - 1 || rows[i + 1]?.index === rows[i]!.index + 1;
  const flow = rows.filter((_, i) => joined(i));
  const apart = rows.filter((_, i) => !joined(i));
  const row = (v: (typeof rows)[number], style?: CSSProperties) => (
    <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} style={style}>
      {v.index < items.length ? renderItem(items[v.index]!, v.index) : more}
    </div>
  );
  return (
    <div style={{ height: Math.max(virtualizer.getTotalSize(), 80), position: 'relative' }}>
      {virtualizer.options.count === 0 && empty}
      <div style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${flow[0]?.start ?? 0}px)`, display: 'flex', flexDirection: 'column', gap: virtualizer.options.gap }}>
        {flow.map((v) => row(v))}
      </div>
      {apart.map((v) => row(v, { position: 'absolute', top: v.start, left: 0, right: 0 }))}
    </div>
  );
}
