import { ZodError } from 'zod';
import { AppError } from '../server/errors.js';

/** A message for whoever ran the command: the service's error with its field paths, not a stack trace. */
export function describeCliError(err: unknown): string {
  if (err instanceof AppError) {
    const fields = err.fields.map((f) => `\n  ${f.path}: ${f.message}`).join('');
    return `error: ${err.message}${fields}`;
  }
  if (err instanceof ZodError) {
    return `error: invalid options${err.issues.map((i) => `\n  ${i.path.join('.') || '(value)'}: ${i.message}`).join('')}`;
  }
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/** Wraps a command action so that a failure prints one readable message and exits with status 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      console.error(describeCliError(err));
      if (process.env.VORONKA_DEBUG && err instanceof Error) console.error(err.stack);
      process.exitCode = 1;
    }
  };
}
