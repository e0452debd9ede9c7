import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchById } from './batch-by-id';

// One request per tick and resource, whatever the number of askers; records the server does not
// return resolve as null; a failure reaches every asker of the batch.

let requested: string[];
let fail = false;

beforeEach(() => {
  requested = [];
  fail = false;
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    if (fail) return new Response(JSON.stringify({ error: { code: 'internal', message: 'boom' } }), { status: 500 });
    const ids = (new URL(url, 'http://x').searchParams.get('ids') ?? '').split(',').map(Number);
    // the server leaves out what the user may not read: here, the odd thousands
    const items = ids.filter((id) => id < 1000 || id % 2 === 0).map((id) => ({ id, name: `№${id}` }));
    return new Response(JSON.stringify({ items, nextCursor: null }), { status: 200 });
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('batchById', () => {
  it('asks once for all the ids of one tick, each id once', async () => {
    const load = batchById<{ id: number; name: string }>('/companies');
    const got = await Promise.all([load(3), load(5), load(3), load(1001)]);
    expect(got).toEqual([{ id: 3, name: '№3' }, { id: 5, name: '№5' }, { id: 3, name: '№3' }, null]);
    expect(requested).toEqual(['/api/v1/companies?ids=3%2C5%2C1001&limit=3']);
  });

  it('splits more than 100 ids into several requests', async () => {
    const load = batchById<{ id: number; name: string }>('/contacts');
    const got = await Promise.all(Array.from({ length: 150 }, (_, i) => load(i + 1)));
    expect(got.every((r, i) => r?.id === i + 1)).toBe(true);
    expect(requested).toHaveLength(2);
  });

  it('passes a failure to everyone who asked in that batch', async () => {
    fail = true;
    const load = batchById<{ id: number; name: string }>('/companies');
    const results = await Promise.allSettled([load(1), load(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(requested).toHaveLength(1);
  });
});
