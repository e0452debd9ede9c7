import type { z } from 'zod';
import type { Executor } from '../../../server/context.js';
import type { FieldError } from '../../../server/errors.js';
import type { Localized } from '../../../shared/locale.js';
import type { OutboxEvent } from '../../timeline/outbox.js';
import type { FieldCatalogue } from '../field-catalogue.js';
import type { RobotDeps } from '../robot-deps.js';

// The open registry of trigger types, the robots' registry's twin (robot-type.ts). A trigger type
// declares its parameter schema (zod), its names in Russian and English, and how it fires:
// - 'event': the triggers consumer (fire.ts) asks `matches` about every outbox event concerning a
//   deal (`dealOf`, by default the event's own deal), in commit order, exactly once;
// - 'external': something outside the outbox fires it through `TriggersService.fire(...)` — the
//   inbound webhook's route, the idle sweep's job, and later the inbound and documents modules
//   (form submitted, e-mail received, invoice paid) without touching the engine.
// The engine does the rest the same way for every type: the deal in the trigger's pipeline, not
// already in the target stage, not moved back unless allowed, the condition, the move, the log.

export interface TriggerType<S extends z.ZodType = z.ZodType> {
  type: string;
  title: Localized;
  description: Localized;
  params: S;
  source: 'event' | 'external';
  /** the trigger has a secret URL token (an inbound webhook): made when it is created, shown to administrators */
  secret?: boolean;
  /** 'event' types: the deal an event concerns (default: the event's own record when it is a deal) */
  dealOf?(event: OutboxEvent): number | null;
  /** 'event' types: whether this event fires a trigger with these parameters */
  matches?(event: OutboxEvent, params: z.output<S>): boolean;
  /** what the parameters refer to that may be gone or unknown (a field): problems by parameter path */
  check?(exec: Executor, workspaceId: number, params: z.output<S>, deps: RobotDeps, catalogue: FieldCatalogue): Promise<FieldError[]> | FieldError[];
}

export function defineTriggerType<S extends z.ZodType>(t: TriggerType<S>): TriggerType<S> {
  return t;
}

export class TriggerRegistry {
  private readonly types = new Map<string, TriggerType>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- types with different parameter schemas go in one registry; each parses its own
  register(...types: TriggerType<any>[]): void {
    for (const t of types) {
      if (!/^[a-z][a-z0-9_]{0,59}$/.test(t.type)) throw new Error(`trigger type "${t.type}": lower-case letters, digits and _ only`);
      if (this.types.has(t.type)) throw new Error(`trigger type "${t.type}" is registered twice`);
      if (t.source === 'event' && !t.matches) throw new Error(`trigger type "${t.type}": an event type needs matches()`);
      this.types.set(t.type, t);
    }
  }

  get(type: string): TriggerType | undefined {
    return this.types.get(type);
  }

  list(): TriggerType[] {
    return [...this.types.values()];
  }
}
