/**
 * Every failure the API reports is an AppError: a machine code, an HTTP status, a message
 * and, for input problems, the field paths. Anything else that escapes is a bug (500).
 */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields: FieldError[] = []) => new AppError(400, 'bad_request', message, fields);
export const validationFailed = (fields: FieldError[], message = 'The request has invalid fields') =>
  new AppError(400, 'validation_failed', message, fields);
export const fieldInvalid = (path: string, message: string) => validationFailed([{ path, message }], `${path}: ${message}`);
export const unauthenticated = (message = 'Log in first') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You may not do this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Record') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, fields: FieldError[] = []) => new AppError(409, 'conflict', message, fields);
export const versionConflict = (current: unknown) =>
  new AppError(409, 'version_conflict', 'The record was changed by someone else; reload it and try again', [], { current });
/**
 * A business rule refuses the change. `rule` names it (stable, snake_case) and `params` carry its
 * figures, so that a client can word it in the user's language; `message` is the English wording.
 */
export const ruleViolation = (rule: string, message: string, fields: FieldError[] = [], params: Record<string, string | number> = {}) =>
  new AppError(422, 'rule_violation', message, fields, Object.keys(params).length ? { rule, params } : { rule });
export const rateLimited = (message = 'Too many attempts; try again later') => new AppError(429, 'rate_limited', message);
