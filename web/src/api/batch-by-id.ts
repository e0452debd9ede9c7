import { api } from './client';
import type { Page } from './types';

// Many components each asking for one record by id (the board's cards want the names of their
// company and contact) become one list request per resource: the ids asked for in the same tick
// go as GET /<resource>?ids=1,2,3 (up to 100 at once, the API's limit). A record the user may not
// read, or that is gone, comes back as null.

const MAX_IDS = 100;

interface Waiting<T> {
  resolve: (record: T | null) => void;
  reject: (error: unknown) => void;
}

export function batchById<T extends { id: number }>(path: string): (id: number) => Promise<T | null> {
  let waiting = new Map<number, Array<Waiting<T>>>();
  let scheduled = false;

  async function send(batch: Map<number, Array<Waiting<T>>>): Promise<void> {
    const ids = [...batch.keys()];
    try {
      const page = await api.get<Page<T>>(path, { ids: ids.join(','), limit: ids.length });
      const found = new Map(page.items.map((r) => [r.id, r]));
      for (const [id, ws] of batch) for (const w of ws) w.resolve(found.get(id) ?? null);
    } catch (e) {
      for (const ws of batch.values()) for (const w of ws) w.reject(e);
    }
  }

  function flush(): void {
    scheduled = false;
    const all = waiting;
    waiting = new Map();
    const ids = [...all.keys()];
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      void send(new Map(ids.slice(i, i + MAX_IDS).map((id) => [id, all.get(id)!])));
    }
  }

  return (id) =>
    new Promise<T | null>((resolve, reject) => {
      const list = waiting.get(id) ?? [];
      list.push({ resolve, reject });
      waiting.set(id, list);
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 0);
      }
    });
}
