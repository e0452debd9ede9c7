import type { Schemas } from '../../api/types';

// The form of Settings → «Рассылки» (Messaging.tsx) and what of it goes into the PATCH, apart from
// the screen so that it can be tested. Secrets are write-only: '' keeps one, null clears it.

export type Settings = Schemas['MessagingSettings'];
export type Provider = Settings['smsProvider'];
export const PROVIDERS: Provider[] = ['log', 'smsru', 'smsc'];

const SECRETS = ['smtpPassword', 'smsruApiId', 'smscPassword', 'smscApiKey'] as const;
export type Secret = (typeof SECRETS)[number];
export const SET_FLAG: Record<Secret, 'smtpPasswordSet' | 'smsruApiIdSet' | 'smscPasswordSet' | 'smscApiKeySet'> = {
  smtpPassword: 'smtpPasswordSet',
  smsruApiId: 'smsruApiIdSet',
  smscPassword: 'smscPasswordSet',
  smscApiKey: 'smscApiKeySet',
};
const TEXTS = ['smtpHost', 'smtpUser', 'mailFromAddress', 'mailFromName', 'smsSender', 'smsApiUrl', 'smscLogin'] as const;
export type TextKey = (typeof TEXTS)[number];

export interface Form {
  texts: Record<TextKey, string>;
  smtpPort: number | '';
  smtpSecure: boolean;
  smsProvider: Provider;
  /** a new value typed ('' = keep), or null = clear */
  secrets: Record<Secret, string | null>;
}

export const formOf = (s: Settings): Form => ({
  texts: Object.fromEntries(TEXTS.map((k) => [k, s[k] ?? ''])) as Record<TextKey, string>,
  smtpPort: s.smtpPort ?? '',
  smtpSecure: s.smtpSecure,
  smsProvider: s.smsProvider,
  secrets: { smtpPassword: '', smsruApiId: '', smscPassword: '', smscApiKey: '' },
});

/** What changed, as the PATCH body (without the version). */
export function changesOf(form: Form, s: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of TEXTS) {
    const v = form.texts[k].trim();
    if (v !== (s[k] ?? '')) out[k] = v === '' ? null : v;
  }
  const port = form.smtpPort === '' ? null : form.smtpPort;
  if (port !== s.smtpPort) out.smtpPort = port;
  if (form.smtpSecure !== s.smtpSecure) out.smtpSecure = form.smtpSecure;
  if (form.smsProvider !== s.smsProvider) out.smsProvider = form.smsProvider;
  for (const k of SECRETS) {
    const v = form.secrets[k];
    if (v === null) {
      if (s[SET_FLAG[k]]) out[k] = null;
    } else if (v !== '') out[k] = v;
  }
  return out;
}

