import { randomBytes } from 'node:crypto';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, versionConflict, type FieldError, validationFailed } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { normalizePhone } from '../../shared/communications.js';
import { findSettings, insertSettings, updateSettings, type SettingsRow } from './messaging.repo.js';
import type { MessagingSettingsPatch } from './messaging.schema.js';
import type { HttpTimeouts, SendResult, SmsProvider, SmsProviderKind } from './sms/sms-provider.js';
import { SmsRuProvider } from './sms/smsru.js';
import { SmscProvider } from './sms/smsc.js';
import { LogSmsProvider } from './sms/log-provider.js';
import type { MailProvider } from './mail/mail-provider.js';
import { messageIdFor } from './mail/mail-provider.js';
import { SmtpMailProvider } from './mail/smtp.js';
import { LogMailProvider } from './mail/log-mail-provider.js';

/** The settings as the API shows them: secrets only as "set". */
export interface MessagingSettings {
  smtpHost: string | null;
  smtpPort: number | null;
  smtpSecure: boolean;
  smtpUser: string | null;
  smtpPasswordSet: boolean;
  mailFromAddress: string | null;
  mailFromName: string | null;
  smsProvider: SmsProviderKind;
  smsSender: string | null;
  smsApiUrl: string | null;
  smsruApiIdSet: boolean;
  smscLogin: string | null;
  smscPasswordSet: boolean;
  smscApiKeySet: boolean;
  updatedAt: string | null;
  version: number;
}

export interface TestResult extends SendResult {
  provider: 'smtp' | 'log' | 'smsru' | 'smsc';
}

export interface MessagingOptions {
  /** timeouts of the SMS providers' HTTP calls */
  smsTimeouts?: HttpTimeouts;
  /** timeouts of SMTP, in ms */
  smtpTimeouts?: { connectionTimeoutMs?: number; greetingTimeoutMs?: number; socketTimeoutMs?: number };
}

const EMPTY: Omit<SettingsRow, 'workspace_id' | 'created_at' | 'updated_at' | 'version'> = {
  smtp_host: null,
  smtp_port: null,
  smtp_secure: 0,
  smtp_user: null,
  smtp_password: null,
  mail_from_address: null,
  mail_from_name: null,
  sms_provider: 'log',
  smsru_api_id: null,
  smsc_login: null,
  smsc_password: null,
  smsc_api_key: null,
  sms_sender: null,
  sms_api_url: null,
};

/** API field → column. */
const COLUMNS = {
  smtpHost: 'smtp_host',
  smtpPort: 'smtp_port',
  smtpSecure: 'smtp_secure',
  smtpUser: 'smtp_user',
  smtpPassword: 'smtp_password',
  mailFromAddress: 'mail_from_address',
  mailFromName: 'mail_from_name',
  smsProvider: 'sms_provider',
  smsSender: 'sms_sender',
  smsApiUrl: 'sms_api_url',
  smsruApiId: 'smsru_api_id',
  smscLogin: 'smsc_login',
  smscPassword: 'smsc_password',
  smscApiKey: 'smsc_api_key',
} as const satisfies Record<keyof MessagingSettingsPatch, keyof SettingsRow>;
const SECRETS = new Set<string>(['smtpPassword', 'smsruApiId', 'smscPassword', 'smscApiKey']);

const TEST_SMS_TEXT = 'Voronka: test SMS';

/**
 * Messaging: the workspace's SMTP server and SMS provider (settings, admin only) and the
 * configured providers for the modules that send (robots). docs/messaging.md.
 */
export class MessagingService {
  constructor(
    private readonly ctx: AppContext,
    private readonly options: MessagingOptions = {},
  ) {}

  async getSettings(actor: Actor, exec?: Executor): Promise<MessagingSettings> {
    requireAdmin(actor);
    return present(await findSettings(exec ?? this.ctx.db.kysely, actor.workspaceId));
  }

  /** The stored row may not exist yet: version 0 then, and the first PATCH creates it. */
  async updateSettings(actor: Actor, patch: MessagingSettingsPatch, expectedVersion: number, exec?: Executor): Promise<MessagingSettings> {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const before = await findSettings(trx, actor.workspaceId);
      const current = before ?? { ...EMPTY, workspace_id: actor.workspaceId, version: 0 };
      if (current.version !== expectedVersion) throw versionConflict(present(before));
      const set: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        set[COLUMNS[field as keyof MessagingSettingsPatch]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      }
      const merged = { ...current, ...set } as SettingsRow;
      checkComplete(merged);
      const now = nowIso(this.ctx.clock);
      if (!before) {
        await insertSettings(trx, { ...EMPTY, ...set, workspace_id: actor.workspaceId, created_at: now, updated_at: now, version: 1 });
      } else if (!(await updateSettings(trx, actor.workspaceId, expectedVersion, { ...set, updated_at: now }))) {
        throw versionConflict(present(await findSettings(trx, actor.workspaceId)));
      }
      const changes: Record<string, { old: unknown; new: unknown }> = {};
      for (const field of Object.keys(patch) as Array<keyof MessagingSettingsPatch>) {
        const column = COLUMNS[field];
        if (patch[field] === undefined || current[column] === merged[column]) continue;
        changes[`messaging.${field}`] = SECRETS.has(field) ? { old: current[column] !== null ? 'set' : null, new: merged[column] !== null ? 'set' : null } : { old: current[column], new: merged[column] };
      }
      if (Object.keys(changes).length > 0) {
        await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'workspace', entityId: actor.workspaceId, action: 'updated', changes });
      }
      return present(await findSettings(trx, actor.workspaceId));
    });
  }

  /** The workspace's configured SMS provider (log only when none is configured). */
  async smsProvider(exec: Executor, workspaceId: number): Promise<SmsProvider> {
    const row = await findSettings(exec, workspaceId);
    const timeouts = this.options.smsTimeouts ?? {};
    const baseUrl = row?.sms_api_url ?? undefined;
    if (row?.sms_provider === 'smsru' && row.smsru_api_id) return new SmsRuProvider({ apiId: row.smsru_api_id, baseUrl, ...timeouts });
    if (row?.sms_provider === 'smsc' && (row.smsc_api_key || (row.smsc_login && row.smsc_password))) {
      return new SmscProvider({ ...(row.smsc_api_key ? { apiKey: row.smsc_api_key } : { login: row.smsc_login!, password: row.smsc_password! }), baseUrl, ...timeouts });
    }
    return new LogSmsProvider(exec, workspaceId, this.ctx.clock, this.ctx.log);
  }

  /** The sender name configured for SMS, if any. */
  async smsSender(exec: Executor, workspaceId: number): Promise<string | undefined> {
    return (await findSettings(exec, workspaceId))?.sms_sender ?? undefined;
  }

  /** The workspace's SMTP server, or the log-only provider when no SMTP host is set. */
  async mailProvider(exec: Executor, workspaceId: number): Promise<MailProvider> {
    const row = await findSettings(exec, workspaceId);
    if (!row?.smtp_host) return new LogMailProvider(exec, workspaceId, this.ctx.clock, this.ctx.log);
    return new SmtpMailProvider({
      host: row.smtp_host,
      port: row.smtp_port ?? (row.smtp_secure ? 465 : 587),
      secure: row.smtp_secure === 1,
      ...(row.smtp_user && { user: row.smtp_user, password: row.smtp_password ?? '' }),
      ...this.options.smtpTimeouts,
    });
  }

  /** The From header of the workspace's mail: `"Name" <address>`. */
  async mailFrom(exec: Executor, workspaceId: number): Promise<string | null> {
    const row = await findSettings(exec, workspaceId);
    if (!row?.mail_from_address) return null;
    return row.mail_from_name ? `"${row.mail_from_name.replace(/["\\]/g, '')}" <${row.mail_from_address}>` : row.mail_from_address;
  }

  /** A test e-mail through the configured provider; the outcome and the provider's words, never a 500. */
  async sendTestEmail(actor: Actor, to: string): Promise<TestResult> {
    requireAdmin(actor);
    const db = this.ctx.db.kysely;
    const from = await this.mailFrom(db, actor.workspaceId);
    if (!from) throw fieldInvalid('mailFromAddress', 'set the sender address of the workspace mail first');
    const provider = await this.mailProvider(db, actor.workspaceId);
    const key = `test-${this.ctx.clock.now().getTime()}-${randomBytes(4).toString('hex')}`;
    const result = await provider.send({
      from,
      to,
      subject: 'Voronka: test e-mail',
      text: 'This is a test e-mail from Voronka: the SMTP settings work.',
      html: '<p>This is a test e-mail from Voronka: the SMTP settings work.</p>',
      messageId: messageIdFor(key, from),
    });
    return { provider: provider.kind, ...result };
  }

  async sendTestSms(actor: Actor, rawTo: string): Promise<TestResult> {
    requireAdmin(actor);
    const to = normalizePhone(rawTo);
    if (!to) throw fieldInvalid('to', 'is not a phone number (e.g. +79255070602)');
    const db = this.ctx.db.kysely;
    const provider = await this.smsProvider(db, actor.workspaceId);
    const sender = await this.smsSender(db, actor.workspaceId);
    const ourId = `vt-${this.ctx.clock.now().getTime()}-${randomBytes(4).toString('hex')}`;
    const result = await provider.send({ to, text: TEST_SMS_TEXT, ourId, ...(sender && { sender }) });
    return { provider: provider.kind, ...result };
  }
}

function present(row: SettingsRow | undefined): MessagingSettings {
  const r = row ?? { ...EMPTY, updated_at: null, version: 0 };
  return {
    smtpHost: r.smtp_host,
    smtpPort: r.smtp_port,
    smtpSecure: r.smtp_secure === 1,
    smtpUser: r.smtp_user,
    smtpPasswordSet: r.smtp_password !== null,
    mailFromAddress: r.mail_from_address,
    mailFromName: r.mail_from_name,
    smsProvider: r.sms_provider,
    smsSender: r.sms_sender,
    smsApiUrl: r.sms_api_url,
    smsruApiIdSet: r.smsru_api_id !== null,
    smscLogin: r.smsc_login,
    smscPasswordSet: r.smsc_password !== null,
    smscApiKeySet: r.smsc_api_key !== null,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** The chosen SMS provider needs its credentials (named after the field that lacks them). */
function checkComplete(row: SettingsRow): void {
  const fields: FieldError[] = [];
  if (row.sms_provider === 'smsru' && !row.smsru_api_id) fields.push({ path: 'smsruApiId', message: 'is required for SMS.ru' });
  if (row.sms_provider === 'smsc' && !row.smsc_api_key && !(row.smsc_login && row.smsc_password)) {
    fields.push({ path: row.smsc_login ? 'smscPassword' : 'smscLogin', message: 'SMSC.ru needs a login and password, or an API key (smscApiKey)' });
  }
  if (row.smtp_host && !row.mail_from_address) fields.push({ path: 'mailFromAddress', message: 'is required with an SMTP server' });
  if (row.smtp_password && !row.smtp_user) fields.push({ path: 'smtpUser', message: 'is required with an SMTP password' });
  if (fields.length) throw validationFailed(fields, fields.map((f) => `${f.path}: ${f.message}`).join('; '));
}
