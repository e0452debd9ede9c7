import { z } from 'zod';
import { LOCALES } from '../../shared/locale.js';

/** Accepted only if the runtime's ICU knows the zone, so that reports and deadlines can use it. */
const ianaTimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not a known IANA time zone (e.g. Europe/Moscow)');

/** ISO 4217 alphabetic codes the runtime knows (Intl validates the shape, the list keeps out typos like "RUR"). */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['RUB', 'USD', 'EUR'],
);
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code in capitals, e.g. RUB')
  .refine((c) => KNOWN_CURRENCIES.has(c), 'is not an ISO 4217 currency code');

export const CRM_MODES = ['with_leads', 'without_leads'] as const;

export const workspacePatchSchema = z.strictObject({
  version: z.number().int().positive().optional(),
  name: z.string().trim().min(1).max(200).optional(),
  crmMode: z.enum(CRM_MODES).optional(),
  currency: currencyCode.optional(),
  timeZone: ianaTimeZone.optional(),
  locale: z.enum(LOCALES).optional(),
  /** days a deleted record stays in the recycle bin (1–3650) */
  recycleBinDays: z.number().int().min(1).max(3650).optional(),
});
export type WorkspacePatch = Omit<z.infer<typeof workspacePatchSchema>, 'version'>;

export const workspaceSchema = z.object({
  id: z.number(),
  name: z.string(),
  crmMode: z.enum(CRM_MODES),
  currency: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  recycleBinDays: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
