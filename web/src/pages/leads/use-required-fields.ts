import { useState } from 'react';
import { useCustomFieldDefs, type CustomField } from '../../api/lookups';
import { customBody, type CustomDraft } from '../../components/record/CustomFields.logic';

// The records a conversion creates are created with their required custom fields filled in (the
// server refuses them otherwise): the dialog asks for those fields, and only those.

export type ConvertPart = 'deal' | 'contact' | 'company';
const PARTS: ConvertPart[] = ['deal', 'contact', 'company'];

export function useRequiredFields() {
  const defs: Record<ConvertPart, CustomField[]> = {
    deal: useCustomFieldDefs('deal').data?.filter((d) => d.required) ?? [],
    contact: useCustomFieldDefs('contact').data?.filter((d) => d.required) ?? [],
    company: useCustomFieldDefs('company').data?.filter((d) => d.required) ?? [],
  };
  const [drafts, setDrafts] = useState<Record<ConvertPart, Record<string, CustomDraft>>>({ deal: {}, contact: {}, company: {} });
  const change = (part: ConvertPart, code: string, value: CustomDraft) => setDrafts((d) => ({ ...d, [part]: { ...d[part], [code]: value } }));

  /**
   * Adds `custom` to the create bodies of the convert body (the parts it creates anew; a linked
   * record has none) and returns the local errors, by the paths the server uses
   * (`contact.create.custom.<code>`).
   */
  const apply = (body: Record<string, unknown>, where: { currency: string; timeZone?: string }): Record<string, string> => {
    const errors: Record<string, string> = {};
    for (const part of PARTS) {
      const create = (body[part] as { create?: Record<string, unknown> } | undefined)?.create;
      if (!create || defs[part].length === 0) continue;
      const { custom, errors: invalid } = customBody(defs[part], drafts[part], where);
      for (const [path, error] of Object.entries(invalid)) errors[`${part}.create.${path}`] = error;
      if (Object.keys(custom).length) create.custom = custom;
    }
    return errors;
  };
  return { defs, drafts, change, apply };
}

/** The errors of one part's custom fields, keyed as CustomFieldInputs reads them (`custom.<code>`). */
export function customErrorsOf(errors: Record<string, string>, part: ConvertPart): Record<string, string> {
  const prefix = `${part}.create.`;
  return Object.fromEntries(Object.entries(errors).flatMap(([k, v]) => (k.startsWith(`${prefix}custom.`) ? [[k.slice(prefix.length), v]] : [])));
}
