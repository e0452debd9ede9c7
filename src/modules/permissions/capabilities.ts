import { forbidden } from '../../server/errors.js';
import type { Actor } from './actor.js';

// Rights beside the record matrix (levels.ts): a role either has a capability or not. Administrators
// have every one; other roles get the ones an administrator grants them (roles.capabilities).
export const CAPABILITIES = [
  /** edit robots and triggers, dry-run and apply them, read the workspace's automation log and retry runs */
  'automation.manage',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** A role's stored list (JSON text), keeping only the names this version knows. */
export function parseCapabilities(stored: string | null | undefined): Capability[] {
  if (!stored) return [];
  try {
    const list: unknown = JSON.parse(stored);
    return Array.isArray(list) ? CAPABILITIES.filter((c) => list.includes(c)) : [];
  } catch {
    return [];
  }
}

export const storeCapabilities = (list: readonly Capability[]): string => JSON.stringify(CAPABILITIES.filter((c) => list.includes(c)));

export function hasCapability(actor: Actor, capability: Capability): boolean {
  return actor.isAdmin || actor.capabilities.has(capability);
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!hasCapability(actor, capability)) throw forbidden(`Only administrators and roles granted ${capability} may do this`);
}
