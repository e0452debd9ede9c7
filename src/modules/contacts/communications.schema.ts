import { z } from 'zod';
import { EMAIL_MAX_LENGTH, EMAIL_TYPES, normalizeEmail, normalizePhone, PHONE_MAX_LENGTH, PHONE_TYPES } from '../../shared/communications.js';

// Request shapes of phone and e-mail lists, shared by contacts and companies. The refinements
// make a bad entry a 400 at `phones[0].value`; the service checks again for module callers.

export const phoneInput = z.strictObject({
  value: z.string().max(PHONE_MAX_LENGTH).refine((v) => normalizePhone(v) !== null, 'is not a valid phone number'),
  type: z.enum(PHONE_TYPES).default('work'),
});

export const emailInput = z.strictObject({
  value: z.string().max(EMAIL_MAX_LENGTH).refine((v) => normalizeEmail(v) !== null, 'is not a valid e-mail address'),
  type: z.enum(EMAIL_TYPES).default('work'),
});

export const phonesInput = z.array(phoneInput).max(50);
export const emailsInput = z.array(emailInput).max(50);

export const communicationOut = z.object({ value: z.string(), type: z.string(), normalized: z.string() });
