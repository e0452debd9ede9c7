// Row types of every table, as Kysely sees them. Each module owns its tables (see the
// comment on each group); other modules go through the owner's service.
//
// Portability rules that hold on SQLite and PostgreSQL alike:
// - ids are integers; money is an integer of minor units (bigint column, JS number);
// - flags are integers 0/1 (better-sqlite3 cannot bind booleans);
// - times are ISO-8601 UTC strings in JS (text on SQLite, timestamptz on PostgreSQL with a
//   type parser that returns ISO strings); dates are 'YYYY-MM-DD' strings;
// - structured values (custom fields, tags, requisites) are JSON text.
import type { ColumnType, Generated } from 'kysely';

type Id = Generated<number>;
type Timestamp = string;
type Flag = number;

interface Audited {
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

// --- workspaces module ---
export interface WorkspacesTable extends Audited {
  id: Id;
  name: string;
  crm_mode: 'with_leads' | 'without_leads';
  currency: string;
  time_zone: string;
  locale: string;
  /** days a deleted record stays in the recycle bin before it is purged (migration 011) */
  recycle_bin_days: Generated<number>;
}

// --- users module (users, departments, roles, permissions) ---
export interface UsersTable extends Audited {
  id: Id;
  workspace_id: number;
  email: string;
  name: string;
  phone: string | null;
  position: string | null;
  active: Flag;
  locale: string;
  time_zone: string;
  password_hash: string;
  department_id: number | null;
  /** 'system': the workspace's robot principal (migration 022), never listed, assignable or logged in as */
  kind: Generated<'person' | 'system'>;
}

export interface DepartmentsTable extends Audited {
  id: Id;
  workspace_id: number;
  name: string;
  parent_id: number | null;
  head_id: number | null;
}

export interface RolesTable extends Audited {
  id: Id;
  workspace_id: number;
  name: string;
  /** 'admin' | 'head_of_sales' | 'manager' for built-in roles, null for custom ones */
  code: string | null;
  /** administrators may change settings, users, roles and pipelines */
  is_admin: Flag;
  /** JSON array of capability names beside the matrix (permissions/capabilities.ts; migration 027) */
  capabilities: Generated<string>;
}

export interface RolePermissionsTable {
  id: Id;
  workspace_id: number;
  role_id: number;
  entity: string;
  action: string;
  level: string;
  /** narrows a deal grant to one pipeline; null = all pipelines */
  pipeline_id: number | null;
}

export interface UserRolesTable {
  workspace_id: number;
  user_id: number;
  role_id: number;
}

// --- auth module ---
export interface SessionsTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  token_hash: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginAttemptsTable {
  id: Id;
  email: string;
  ip: string;
  success: Flag;
  created_at: Timestamp;
}

// --- reference-lists module ---
export interface ReferenceItemsTable extends Audited {
  id: Id;
  workspace_id: number;
  kind: string;
  name: string;
  sort: number;
  /** lead statuses only: 'in_progress' | 'converted' | 'junk' */
  semantic: string | null;
  active: Flag;
}

// --- pipelines module ---
export interface PipelinesTable extends Audited {
  id: Id;
  workspace_id: number;
  name: string;
  sort: number;
  is_default: Flag;
  /** set when the pipeline was deleted (with its stages): history still names it */
  archived_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

export interface StagesTable extends Audited {
  id: Id;
  workspace_id: number;
  pipeline_id: number;
  name: string;
  color: string;
  semantic: 'in_progress' | 'success' | 'failure';
  sort: number;
  requires_loss_reason: Flag;
  /** a removed stage stays for history, hidden from boards and pickers (migration 011) */
  archived_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

// --- contacts module (contacts, companies, their phones/e-mails) ---
export interface ContactsTable extends Audited {
  id: Id;
  workspace_id: number;
  first_name: string | null;
  last_name: string | null;
  middle_name: string | null;
  position: string | null;
  birthday: string | null;
  type_id: number | null;
  source_id: number | null;
  responsible_id: number;
  created_by_id: number;
  comment: string | null;
  custom: string;
  search_text: string;
  /** lower-cased full name for duplicate matching and sorting (migration 003; SQLite's lower() is ASCII-only) */
  name_key: string;
}

export interface CompaniesTable extends Audited {
  id: Id;
  workspace_id: number;
  name: string;
  type_id: number | null;
  industry_id: number | null;
  website: string | null;
  address: string | null;
  /** ИНН/КПП/bank details; shaped by the documents module */
  requisites: string;
  responsible_id: number;
  created_by_id: number;
  comment: string | null;
  custom: string;
  search_text: string;
  /** lower-cased name for duplicate matching and sorting (migration 003) */
  name_key: string;
}

export interface ContactCompaniesTable {
  workspace_id: number;
  contact_id: number;
  company_id: number;
}

/** Phones and e-mails of contacts, companies and leads, with a normalised value for search and duplicates. */
export interface CommunicationsTable {
  id: Id;
  workspace_id: number;
  entity_type: 'contact' | 'company' | 'lead';
  entity_id: number;
  kind: 'phone' | 'email';
  type: string;
  value: string;
  normalized: string;
  sort: number;
}

// --- leads module ---
export interface LeadsTable extends Audited {
  id: Id;
  workspace_id: number;
  title: string;
  first_name: string | null;
  last_name: string | null;
  middle_name: string | null;
  company_name: string | null;
  position: string | null;
  status_id: number;
  status_semantic: string;
  source_id: number | null;
  responsible_id: number;
  created_by_id: number;
  comment: string | null;
  amount: number;
  currency: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  converted_at: Timestamp | null;
  converted_deal_id: number | null;
  converted_contact_id: number | null;
  converted_company_id: number | null;
  custom: string;
  search_text: string;
}

// --- deals module ---
export interface DealsTable extends Audited {
  id: Id;
  workspace_id: number;
  title: string;
  pipeline_id: number;
  stage_id: number;
  /** copy of the stage's semantic, so lists filter open/closed without a join */
  stage_semantic: string;
  /** fractional-index key: order inside the stage column */
  position: string;
  amount: number;
  currency: string;
  responsible_id: number;
  created_by_id: number;
  company_id: number | null;
  contact_id: number | null;
  source_id: number | null;
  loss_reason_id: number | null;
  lead_id: number | null;
  close_date: string | null;
  probability: number | null;
  tags: string;
  comment: string | null;
  closed: Flag;
  closed_at: Timestamp | null;
  stage_changed_at: Timestamp;
  /** earliest deadline among planned activities, kept by the activities module */
  next_activity_id: number | null;
  next_activity_deadline: Timestamp | null;
  custom: string;
  search_text: string;
}

export interface DealContactsTable {
  workspace_id: number;
  deal_id: number;
  contact_id: number;
  is_primary: Flag;
  sort: number;
}

export interface DealObserversTable {
  workspace_id: number;
  deal_id: number;
  user_id: number;
}

export interface DealTagsTable {
  workspace_id: number;
  deal_id: number;
  tag: string;
}

export interface DealProductsTable {
  id: Id;
  workspace_id: number;
  deal_id: number;
  sort: number;
  product_id: number | null;
  name: string;
  price: number;
  quantity: string;
  unit_code: string | null;
  unit_name: string | null;
  discount_type: 'percent' | 'amount' | null;
  discount_value: string;
  vat_rate: string;
  vat_included: Flag;
  /** computed by the server: total of the row including VAT */
  total: number;
  vat_amount: number;
}

/** Board counts and sums per (stage, responsible, currency), kept by triggers on deals (migration 008). */
export interface DealStageTotalsTable {
  workspace_id: number;
  pipeline_id: number;
  stage_id: number;
  responsible_id: number;
  currency: string;
  deals: number;
  amount: number;
}

export interface DealStageHistoryTable {
  id: Id;
  workspace_id: number;
  deal_id: number;
  pipeline_id: number;
  stage_id: number;
  stage_semantic: string;
  entered_at: Timestamp;
  entered_by_id: number | null;
  exited_at: Timestamp | null;
  exited_by_id: number | null;
  /** the facts at the moment the deal entered the stage (migration 011) */
  responsible_id: number | null;
  amount: number;
  currency: string;
}

// --- products module ---
export interface ProductsTable extends Audited {
  id: Id;
  workspace_id: number;
  name: string;
  sku: string | null;
  unit_code: string | null;
  unit_name: string | null;
  price: number;
  currency: string;
  vat_rate: string;
  vat_included: Flag;
  active: Flag;
  /** lower-cased name for sorting and search_text for `q` (migration 006; SQLite's lower() is ASCII-only) */
  name_key: string;
  search_text: string;
}

// --- activities module ---
export interface ActivitiesTable extends Audited {
  id: Id;
  workspace_id: number;
  type: 'call' | 'meeting' | 'email' | 'task';
  subject: string;
  description: string | null;
  start_at: Timestamp | null;
  deadline_at: Timestamp | null;
  responsible_id: number;
  created_by_id: number;
  entity_type: 'deal' | 'lead' | 'contact' | 'company' | null;
  entity_id: number | null;
  status: 'planned' | 'done' | 'cancelled';
  result: string | null;
  completed_at: Timestamp | null;
  completed_by_id: number | null;
  direction: 'incoming' | 'outgoing' | null;
}

// --- timeline module (also the outbox of domain events) ---
export interface TimelineEntriesTable {
  id: Id;
  workspace_id: number;
  entity_type: string;
  entity_id: number;
  kind: string;
  author_id: number | null;
  created_at: Timestamp;
  data: string;
  /** PostgreSQL: the writing transaction's id (xid8, read as text), the outbox's order (migration 020); absent on SQLite */
  tx_id?: string;
  /** the robot that wrote it (author_id is then the workspace's system user) */
  robot_id: number | null;
  robot_name: string | null;
  /** 'trigger' when robot_id and robot_name name a trigger that moved the record (migration 026); null: a robot */
  robot_kind: 'trigger' | null;
}

/** Each outbox consumer's position (migration 020): the last (tx_id, id) it handled. */
export interface OutboxCursorsTable {
  consumer: string;
  tx_id: string | null;
  last_id: number;
  updated_at: Timestamp;
}

// --- custom-fields module ---
export interface CustomFieldsTable extends Audited {
  id: Id;
  workspace_id: number;
  entity: string;
  code: string;
  name: string;
  type: string;
  required: Flag;
  options: string;
  sort: number;
}

// --- recycle-bin module ---
/** A deleted record: its row and the rows that went with it, as the owning module's snapshot (JSON). */
export interface RecycleBinTable {
  id: Id;
  workspace_id: number;
  entity_type: 'deal' | 'lead' | 'contact' | 'company';
  entity_id: number;
  title: string;
  responsible_id: number;
  pipeline_id: number | null;
  deleted_at: Timestamp;
  deleted_by_id: number | null;
  snapshot: string;
}

// --- audit module ---
export interface AuditLogTable {
  id: Id;
  workspace_id: number;
  actor_id: number | null;
  entity_type: string;
  entity_id: number;
  action: string;
  /** JSON: { field: { old, new } } */
  changes: string;
  created_at: Timestamp;
}

// --- leads module: status history (migration 012) ---
export interface LeadStatusHistoryTable {
  id: Id;
  workspace_id: number;
  lead_id: number;
  status_id: number;
  status_semantic: string;
  responsible_id: number | null;
  entered_at: Timestamp;
  entered_by_id: number | null;
  exited_at: Timestamp | null;
  exited_by_id: number | null;
}

// --- the job engine (src/jobs; knows nothing of CRM records) ---
export interface JobsTable {
  id: Id;
  /** the workspace the job works for, when it works for one (deleted with it) */
  workspace_id: number | null;
  kind: string;
  /** JSON of the kind's zod-validated arguments */
  args: string;
  state: 'scheduled' | 'available' | 'running' | 'retryable' | 'completed' | 'failed' | 'cancelled';
  priority: Generated<number>;
  run_at: Timestamp;
  /** attempts started so far (a claim counts one) */
  attempt: Generated<number>;
  max_attempts: number;
  /** JSON array of { attempt, at, error, workerId } */
  errors: Generated<string>;
  last_error: string | null;
  /** JSON of what perform returned, when it returned something */
  result: string | null;
  unique_key: string | null;
  /** the worker that claimed it last */
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
  finished_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: Timestamp;
}

// --- messaging module (SMTP and SMS provider settings, the log-only providers' log; migration 017) ---
export interface MessagingSettingsTable {
  workspace_id: number;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: Generated<Flag>;
  smtp_user: string | null;
  /** secret: never logged, never returned (the API says passwordSet) */
  smtp_password: string | null;
  mail_from_address: string | null;
  mail_from_name: string | null;
  sms_provider: Generated<'log' | 'smsru' | 'smsc'>;
  /** secret (SMS.ru) */
  smsru_api_id: string | null;
  smsc_login: string | null;
  /** secret (SMSC.ru) */
  smsc_password: string | null;
  /** secret (SMSC.ru, instead of login + password) */
  smsc_api_key: string | null;
  sms_sender: string | null;
  /** the provider's API base URL when not its public one (a mirror, a white-label copy) */
  sms_api_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface MessagingLogTable {
  id: Id;
  workspace_id: number;
  channel: 'sms' | 'email';
  our_id: string;
  recipient: string;
  sender: string | null;
  subject: string | null;
  body: string;
  created_at: Timestamp;
}

// --- working-calendar module (migration 018) ---
/** A workspace's working hours; no row: the defaults (09:00–18:00, short days 1 h shorter). */
export interface WorkingCalendarSettingsTable {
  workspace_id: number;
  /** minutes after local midnight: 540 = 09:00 */
  day_start_minute: number;
  /** inclusive end, minutes after local midnight */
  day_end_minute: number;
  /** how much earlier a pre-holiday (short) day ends */
  short_day_minutes: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** The administrator's exception for one local date; it wins over the decree years. */
export interface WorkingCalendarOverridesTable {
  workspace_id: number;
  /** 'YYYY-MM-DD' */
  date: string;
  kind: 'work' | 'short' | 'off';
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A decree year loaded by the administrator; wins over the built-in calendar for that year. */
export interface WorkingCalendarYearsTable {
  workspace_id: number;
  year: number;
  /** JSON: { decree?, holidays, workingWeekends, shortDays } (YearCalendar) */
  data: string;
  source: string | null;
  note: string | null;
  loaded_at: Timestamp;
  loaded_by_id: number | null;
}

// --- notifications module (migration 021) ---
export interface NotificationsTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  /** robot | activity_overdue | deal_idle | digest (notifications/kinds.ts) */
  kind: string;
  title: string;
  body: string | null;
  /** the record it is about: deal | lead | contact | company | activity, or null */
  entity_type: string | null;
  entity_id: number | null;
  /** unique per user: the same key notifies once */
  dedupe_key: string | null;
  created_at: Timestamp;
  read_at: Timestamp | null;
  /** its e-mail copy (migration 027): queued | sending | sent | failed | uncertain | skipped; null: none asked */
  email_state: string | null;
  email_error: string | null;
}

export interface NotificationPreferencesTable {
  workspace_id: number;
  user_id: number;
  kind: string;
  /** 1: this kind also comes by e-mail */
  email: Flag;
  updated_at: Timestamp;
}

// --- automation module (src/modules/automation, migration 022) ---

export type AutomationEntity = 'deal' | 'lead';
export type RunStatus = 'waiting' | 'done' | 'skipped' | 'cancelled' | 'failed' | 'uncertain';

/** A robot of a deal stage (pipeline_id set) or a lead status; params, condition and timing are JSON. */
export interface AutomationRobotsTable {
  id: Id;
  workspace_id: number;
  entity_type: AutomationEntity;
  pipeline_id: number | null;
  stage_id: number;
  position: number;
  type: string;
  name: string;
  params: string;
  condition: string | null;
  timing: string;
  leave_policy: 'cancel' | 'keep';
  enabled: Flag;
  version: Generated<number>;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** a built-in rule (built-in-robots.ts: 'convert_new_leads'), null for the administrators' own robots */
  built_in: string | null;
}

/** One run of one robot for one stage entry of a record: the automation log. */
export interface AutomationRunsTable {
  id: Id;
  workspace_id: number;
  robot_id: number;
  robot_type: string;
  robot_name: string;
  entity_type: AutomationEntity;
  entity_id: number;
  stage_id: number;
  entry_id: number;
  status: RunStatus;
  due_at: Timestamp | null;
  after_run_id: number | null;
  job_id: number | null;
  attempts: Generated<number>;
  result: string | null;
  reason: string | null;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

// --- overdue-control module (migration 023) ---
/** The workspace's overdue-control rules; no row: the defaults (overdue-control/rules.ts). */
export interface OverdueControlSettingsTable {
  workspace_id: number;
  activity_enabled: Flag;
  /** minutes after an activity's deadline its responsible is notified (0: at once) */
  activity_notify_after_minutes: number;
  /** minutes after that the head of their department is notified; null: no escalation */
  activity_escalate_after_minutes: number | null;
  deal_idle_enabled: Flag;
  /** a deal in progress without a stage change for this many days is idle */
  deal_idle_days: number;
  /** 1: the head is notified of an idle deal too */
  deal_idle_escalate: Flag;
  digest_enabled: Flag;
  /** 'HH:MM' in the workspace's time zone */
  digest_time: string;
  /** 1: the digest lists deals in progress without a planned activity */
  digest_no_activity: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** How far a periodic scan has read: the keyset position (time, id) per workspace and level. */
export interface OverdueScanStateTable {
  workspace_id: number;
  /** activity_responsible | activity_head | deal_idle */
  level: string;
  position_at: Timestamp;
  position_id: number;
  updated_at: Timestamp;
}

/** One row per notice sent: (subject, level, deadline) is notified once. */
export interface OverdueNoticesTable {
  workspace_id: number;
  /** activity | deal */
  subject_type: string;
  subject_id: number;
  /** responsible | head | idle */
  level: string;
  /** ISO: the activity's deadline, or the time the deal entered its stage */
  deadline_at: string;
  notified_at: Timestamp;
}

/** The digest's e-mails: the attempt is recorded before sending (at most once after a crash). */
export interface OverdueDigestMailsTable {
  workspace_id: number;
  user_id: number;
  /** the workspace-local date of the digest, YYYY-MM-DD */
  digest_date: string;
  state: 'sending' | 'sent' | 'failed' | 'uncertain';
  message_id: string;
  error: string | null;
  updated_at: Timestamp;
}

// --- automation module: triggers (src/modules/automation/triggers, migration 026) ---

/** A trigger of a deal stage (its target): moves a deal there when its event happens; params and condition are JSON. */
export interface AutomationTriggersTable {
  id: Id;
  workspace_id: number;
  entity_type: 'deal';
  pipeline_id: number;
  stage_id: number;
  type: string;
  name: string;
  params: string;
  condition: string | null;
  allow_back: Flag;
  enabled: Flag;
  /** an inbound webhook's secret (its URL), else null */
  token: string | null;
  version: Generated<number>;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type TriggerFiringStatus = 'moved' | 'skipped' | 'failed';

/** One firing of a trigger for one deal: the triggers' part of the automation log. */
export interface AutomationTriggerFiringsTable {
  id: Id;
  workspace_id: number;
  trigger_id: number;
  trigger_type: string;
  trigger_name: string;
  entity_type: 'deal';
  entity_id: number;
  stage_id: number;
  from_stage_id: number | null;
  /** what fired it once (the outbox event, the idle spell); null for a webhook call */
  event_key: string | null;
  status: TriggerFiringStatus;
  reason: string | null;
  created_at: Timestamp;
}

/** The inbound webhooks' ledger for their rate limits. */
export interface AutomationHookCallsTable {
  id: Id;
  ip: string;
  trigger_id: number | null;
  ok: Flag;
  created_at: Timestamp;
}


// --- automation module: the ledger of external effects (migration 025) ---

export type EffectChannel = 'sms' | 'email' | 'webhook';
/** attempting: called out (or about to), outcome unknown; retry: known not sent, may be sent again; sent; failed: refused for good; uncertain: may have been sent, cannot be checked */
export type EffectStatus = 'attempting' | 'retry' | 'sent' | 'failed' | 'uncertain';

/** One external effect (SMS, e-mail, webhook) of a robot run, by its idempotency key: the attempt before the call, the outcome after. */
export interface AutomationEffectsTable {
  id: Id;
  workspace_id: number;
  run_id: number;
  key: string;
  channel: EffectChannel;
  provider: string;
  recipient: string;
  status: EffectStatus;
  attempts: number;
  provider_message_id: string | null;
  error: string | null;
  /** the run's outcome (JSON) once sent or uncertain: what a replayed run answers */
  result: string | null;
  /** when the last call out was recorded */
  attempted_at: Timestamp;
  /** when a look-up first answered "no such message" for the current attempt */
  not_found_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}


export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  departments: DepartmentsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  reference_items: ReferenceItemsTable;
  pipelines: PipelinesTable;
  stages: StagesTable;
  contacts: ContactsTable;
  companies: CompaniesTable;
  contact_companies: ContactCompaniesTable;
  communications: CommunicationsTable;
  leads: LeadsTable;
  deals: DealsTable;
  deal_contacts: DealContactsTable;
  deal_observers: DealObserversTable;
  deal_tags: DealTagsTable;
  deal_products: DealProductsTable;
  deal_stage_history: DealStageHistoryTable;
  deal_stage_totals: DealStageTotalsTable;
  products: ProductsTable;
  activities: ActivitiesTable;
  timeline_entries: TimelineEntriesTable;
  outbox_cursors: OutboxCursorsTable;
  custom_fields: CustomFieldsTable;
  recycle_bin: RecycleBinTable;
  audit_log: AuditLogTable;
  lead_status_history: LeadStatusHistoryTable;
  jobs: JobsTable;
  job_leases: JobLeasesTable;
  messaging_settings: MessagingSettingsTable;
  messaging_log: MessagingLogTable;
  working_calendar_settings: WorkingCalendarSettingsTable;
  working_calendar_overrides: WorkingCalendarOverridesTable;
  working_calendar_years: WorkingCalendarYearsTable;
  notifications: NotificationsTable;
  automation_robots: AutomationRobotsTable;
  automation_runs: AutomationRunsTable;
  automation_triggers: AutomationTriggersTable;
  automation_trigger_firings: AutomationTriggerFiringsTable;
  automation_hook_calls: AutomationHookCallsTable;
  automation_effects: AutomationEffectsTable;
  notification_preferences: NotificationPreferencesTable;
  overdue_control_settings: OverdueControlSettingsTable;
  overdue_scan_state: OverdueScanStateTable;
  overdue_notices: OverdueNoticesTable;
  overdue_digest_mails: OverdueDigestMailsTable;
}

export type { ColumnType };
