// tel: and mailto: addresses of a record's phones and e-mails (every place the app shows one links
// it: CommLinks.tsx). A phone dials by its normalized form when the server has one, else by its
// digits (and a leading +); what is shown stays as the user typed it.

export interface CommValue {
  value: string;
  normalized?: string | null;
}

export function telHref(p: CommValue): string {
  const raw = (p.normalized || p.value).trim();
  const digits = raw.replace(/[^\d]/g, '');
  return `tel:${raw.startsWith('+') ? '+' : ''}${digits}`;
}

export const mailtoHref = (e: CommValue): string => `mailto:${e.value.trim()}`;
