import { z } from 'zod';

// zod schemas of the messaging settings API (request side).

export const SMS_PROVIDER_KINDS = ['log', 'smsru', 'smsc'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
/** a secret: a new value replaces it, null clears it, absent keeps it */
const secret = z.string().min(1).max(500).nullable().optional();

const httpUrl = z
  .string()
  .trim()
  .max(300)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');

export const messagingSettingsPatchSchema = z.strictObject({
  version: z.number().int().min(0).optional(),
  smtpHost: text(253).nullable().optional(),
  smtpPort: z.number().int().min(1).max(65535).nullable().optional(),
  smtpSecure: z.boolean().optional(),
  smtpUser: text(254).nullable().optional(),
  smtpPassword: secret,
  mailFromAddress: z.string().trim().max(254).email().nullable().optional(),
  mailFromName: text(200).nullable().optional(),
  smsProvider: z.enum(SMS_PROVIDER_KINDS).optional(),
  /** SMSC: Latin letters, digits, `.`, `-`, `_`, at most 11; SMS.ru: the approved name */
  smsSender: z
    .string()
    .trim()
    .min(1)
    .max(11)
    .regex(/^[A-Za-z0-9._ -]+$/, 'may hold Latin letters, digits, spaces, ".", "-" and "_" (at most 11)')
    .nullable()
    .optional(),
  /** the provider's API base URL when not its public one (a mirror or a white-label copy) */
  smsApiUrl: httpUrl.nullable().optional(),
  smsruApiId: secret,
  smscLogin: text(100).nullable().optional(),
  smscPassword: secret,
  smscApiKey: secret,
});
export type MessagingSettingsPatch = Omit<z.infer<typeof messagingSettingsPatchSchema>, 'version'>;

export const testEmailBody = z.strictObject({ to: z.string().trim().max(254).email() });
export const testSmsBody = z.strictObject({ to: z.string().trim().min(3).max(30) });
