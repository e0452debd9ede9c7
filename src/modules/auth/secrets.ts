import { createHash, randomBytes } from 'node:crypto';

/** Session ids and API tokens are random; only their SHA-256 is stored, so a leaked table opens nothing. */
export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
export const generatePassword = (): string => randomBytes(12).toString('base64url');
