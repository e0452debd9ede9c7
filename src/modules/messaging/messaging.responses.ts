import { z } from 'zod';
import { SMS_PROVIDER_KINDS } from './messaging.schema.js';

// zod schemas of the messaging API's answers, named for the OpenAPI document. Secrets appear
// only as "set" flags.

export const messagingSettingsSchema = z
  .object({
    smtpHost: z.string().nullable(),
    smtpPort: z.number().int().nullable(),
    smtpSecure: z.boolean(),
    smtpUser: z.string().nullable(),
    smtpPasswordSet: z.boolean(),
    mailFromAddress: z.string().nullable(),
    mailFromName: z.string().nullable(),
    smsProvider: z.enum(SMS_PROVIDER_KINDS),
    smsSender: z.string().nullable(),
    smsApiUrl: z.string().nullable(),
    smsruApiIdSet: z.boolean(),
    smscLogin: z.string().nullable(),
    smscPasswordSet: z.boolean(),
    smscApiKeySet: z.boolean(),
    /** null until the settings are first saved */
    updatedAt: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'MessagingSettings' });

export const messagingErrorSchema = z
  .object({ code: z.string(), message: z.string(), retryable: z.boolean() })
  .meta({ id: 'MessagingError' });

export const messagingTestResultSchema = z
  .object({
    /** the provider the message went through: smtp or log for e-mail; log, smsru or smsc for SMS */
    provider: z.enum(['smtp', 'log', 'smsru', 'smsc']),
    outcome: z.enum(['sent', 'rejected', 'uncertain']),
    providerMessageId: z.string().optional(),
    cost: z.number().optional(),
    error: messagingErrorSchema.optional(),
  })
  .meta({ id: 'MessagingTestResult' });
