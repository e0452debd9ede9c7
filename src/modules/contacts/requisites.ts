import { z } from 'zod';

// Company requisites (ИНН/КПП/bank). The documents module will use them on invoices; here
// they are only stored, with the checks that catch typos early.

const text = (max: number) => z.string().trim().max(max).optional();

export const requisitesInput = z.strictObject({
  inn: z.string().trim().regex(/^(\d{10}|\d{12})$/, 'ИНН must be 10 digits (organisation) or 12 digits (individual)').optional(),
  kpp: z.string().trim().regex(/^\d{4}[\dA-Z]{2}\d{3}$/, 'КПП must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits').optional(),
  ogrn: text(15),
  bankName: text(300),
  bik: text(9),
  account: text(20),
  corrAccount: text(20),
  legalAddress: text(1000),
});

export const requisitesOut = z.object({
  inn: z.string().optional(),
  kpp: z.string().optional(),
  ogrn: z.string().optional(),
  bankName: z.string().optional(),
  bik: z.string().optional(),
  account: z.string().optional(),
  corrAccount: z.string().optional(),
  legalAddress: z.string().optional(),
});

export type Requisites = z.infer<typeof requisitesOut>;
