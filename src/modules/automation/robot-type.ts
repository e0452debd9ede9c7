import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from '../../server/clock.js';
import type { Executor } from '../../server/context.js';
import type { FieldError } from '../../server/errors.js';
import type { Localized, Locale } from '../../shared/locale.js';
import type { Actor } from '../permissions/actor.js';
import type { FieldCatalogue, RecordValues } from './field-catalogue.js';
import type { RobotDeps } from './robot-deps.js';
import type { EffectSpec } from './effects.js';

// The open registry of robot types. A robot type is a small module: its parameter schema (zod),
// its names in Russian and English, which of its parameters are texts with placeholders, what it
// refers to (checked when the robot is saved and again before each run), and `run`. The engine
// (consumer.ts, run-robot.ts) looks types up by name only, so other modules (documents, inbound)
// add theirs with `registry.register(...)` without touching it.

export type RobotEntity = 'deal' | 'lead';

/** The record a robot runs for, as the robot sees it at run time. */
export interface RobotRecord {
  entityType: RobotEntity;
  id: number;
  title: string;
  responsibleId: number;
  stageId: number;
  pipelineId: number | null;
  /** the record's values by catalogue path (conditions and placeholders read only these) */
  values: RecordValues;
  /** the client's addresses: the primary contact's, else the company's (loaded when the robot needs them) */
  clientPhone: string | null;
  clientEmail: string | null;
  /** the full API shape (a Deal or a Lead) */
  raw: Record<string, unknown>;
}

export interface RobotRunContext<P> {
  /** where to write: for an internal robot the job's transaction (its writes happen exactly once) */
  exec: Executor;
  params: P;
  robot: { id: number; name: string; type: string; stageId: number; stageName: string };
  /** this run; `key` is the idempotency key of its external effect (robot × record × stage entry) */
  run: { id: number; entryId: number; key: string; attempt: number };
  record: RobotRecord;
  /** the robot acting: the workspace's system user, attributed to the robot */
  actor: Actor;
  deps: RobotDeps;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
  workspace: { id: number; locale: Locale; timeZone: string; currency: string };
  catalogue: FieldCatalogue;
  /** a text parameter with the record's values put in (HTML-escaped for an e-mail body) */
  render(text: string, escape?: 'html' | 'none'): string;
  /** a round-robin's turn: this robot's runs before this one that are done or still to run (automation.repo.ts countRunsBefore) */
  turn(): Promise<number>;
  /** true for a dry run: describe what would be done, change nothing */
  dryRun: boolean;
  /**
   * An external effect (SMS, e-mail, webhook) done exactly once in effect under `run.key`: the
   * attempt is recorded before the call, the outcome after, and a replay reconciles instead of
   * sending again (effects.ts). Throws to retry (backoff) or to fail the run with the provider's words.
   */
  effect(spec: EffectSpec): Promise<RobotOutcome>;
}

/** A link to what a robot made or touched, shown in the automation log. */
export interface RobotLink {
  entityType: 'deal' | 'lead' | 'contact' | 'company' | 'activity' | 'notification' | 'message';
  id: number | string;
  label?: string;
}

export interface RobotOutcome {
  /** what it did (or would do, in a dry run), in plain words for the log */
  summary: string;
  links?: RobotLink[];
  /** more of what it did: the rendered text, the recipients… (shown in the log and the dry run) */
  details?: Record<string, unknown>;
  /** an external effect that may or may not have happened and cannot be checked (shown to the admin) */
  uncertain?: boolean;
}

/** Thrown by run when the robot cannot act on this record (no client phone, a deleted user…): the run is skipped with the reason, not retried. */
export class RobotSkip extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RobotSkip';
  }
}

export interface RobotType<S extends z.ZodType = z.ZodType> {
  type: string;
  title: Localized;
  description: Localized;
  entities: readonly RobotEntity[];
  params: S;
  /** the parameters (top-level keys) that are texts with placeholders, checked against the catalogue when saved */
  texts?: readonly string[];
  /** the parameters (top-level keys) that are secrets: write-only in the API (never answered, kept when a change leaves them out) */
  secrets?: readonly string[];
  /**
   * 'internal': writes to this database only; runs inside the job's transaction (exactly once).
   * 'external': calls out (SMS, e-mail, webhook); records its attempt before and its outcome after (idempotency key).
   */
  effect: 'internal' | 'external';
  /** it reads the client's phone or e-mail (the deal's contact and company are loaded even if no text names them) */
  needsClient?: boolean;
  /** what the parameters refer to that may be gone (a user, a stage, a field): problems by parameter path */
  check?(exec: Executor, workspaceId: number, params: z.output<S>, deps: RobotDeps): Promise<FieldError[]>;
  run(ctx: RobotRunContext<z.output<S>>): Promise<RobotOutcome>;
}

export function defineRobotType<S extends z.ZodType>(t: RobotType<S>): RobotType<S> {
  return t;
}

export class RobotRegistry {
  private readonly types = new Map<string, RobotType>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- types with different parameter schemas go in one registry; each parses its own
  register(...types: RobotType<any>[]): void {
    for (const t of types) {
      if (!/^[a-z][a-z0-9_]{0,59}$/.test(t.type)) throw new Error(`robot type "${t.type}": lower-case letters, digits and _ only`);
      if (this.types.has(t.type)) throw new Error(`robot type "${t.type}" is registered twice`);
      this.types.set(t.type, t);
    }
  }

  get(type: string): RobotType | undefined {
    return this.types.get(type);
  }

  list(): RobotType[] {
    return [...this.types.values()];
  }
}
