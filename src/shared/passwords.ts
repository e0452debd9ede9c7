import { hash, verify } from '@node-rs/argon2';

// Password hashing, shared by auth (log-in, password change) and users (accounts made by an admin or the CLI).
// argon2id (the library's default algorithm) with OWASP-recommended memory/time cost.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 8;
