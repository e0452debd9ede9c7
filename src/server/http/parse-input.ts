import type { z } from 'zod';
import { validationFailed } from '../errors.js';
import { toFieldPath } from '../error-handler.js';

/**
 * Services re-check input with the route's schema: other modules call them directly
 * (lead conversion creates contacts), and a bad value must still be a 400 with a path.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  throw validationFailed(
    res.error.issues.flatMap((i) => {
      const path = i.path as Array<string | number>;
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: toFieldPath([...path, k]), message: 'is not a known field' }));
      return [{ path: toFieldPath(path) || 'body', message: i.message }];
    }),
  );
}
