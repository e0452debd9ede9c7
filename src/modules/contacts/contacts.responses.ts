import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { contactOut, duplicateOut } from './contacts.schema.js';
import { companyOut } from './companies.schema.js';

// zod schemas of the contacts and companies API (response side), named for the OpenAPI document.

export const duplicateSchema = duplicateOut.meta({ id: 'Duplicate' });
export const contactSchema = contactOut.meta({ id: 'Contact' });
export const contactWithDuplicatesSchema = contactOut.extend({ duplicates: z.array(duplicateSchema) }).meta({ id: 'ContactWithDuplicates' });
export const contactPageSchema = pageOf(contactSchema);

export const companySchema = companyOut.meta({ id: 'Company' });
export const companyWithDuplicatesSchema = companyOut.extend({ duplicates: z.array(duplicateSchema) }).meta({ id: 'CompanyWithDuplicates' });
export const companyPageSchema = pageOf(companySchema);
