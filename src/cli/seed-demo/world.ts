import type { SettableClock } from '../../server/clock.js';
import type { AppContext } from '../../server/context.js';
import type { Actor } from '../../modules/permissions/actor.js';
import type { Person } from './names.js';
import type { PipelineDraft, ProductDraft } from './catalog.js';
import type { Random } from './random.js';
import type { Schedule } from './schedule.js';

/** An id known only once the step that creates the record has run. */
export class Later {
  private value: number | null = null;
  set(id: number): void {
    this.value = id;
  }
  get id(): number {
    if (this.value === null) throw new Error('seed-demo: a step ran before the record it needs was created');
    return this.value;
  }
  get known(): boolean {
    return this.value !== null;
  }
}

export interface DemoUser {
  id: number;
  person: Person;
  email: string;
  city: 'msk' | 'spb';
  isHead: boolean;
  actor: Actor;
}

export interface DemoPipeline {
  draft: PipelineDraft;
  id: number;
  inProgress: number[];
  successId: number;
  failureId: number;
}

export interface DemoProduct {
  id: number;
  draft: ProductDraft;
}

export interface DemoCompany {
  at: number;
  ref: Later;
  name: string;
  contacts: Later[];
}

/** Everything the planning steps share. */
export interface SeedWorld {
  ctx: AppContext;
  rng: Random;
  clock: SettableClock;
  schedule: Schedule;
  admin: Actor;
  /** the history spans [start, now] */
  start: number;
  now: number;
  managers: DemoUser[];
  heads: DemoUser[];
  pipelines: DemoPipeline[];
  products: DemoProduct[];
  sourceIds: number[];
  lossReasonIds: number[];
  leadStatus: { new: number; working: number; junk: number };
  /** per manager user id: the companies and private clients they own, in creation order */
  companies: Map<number, DemoCompany[]>;
  privateContacts: Map<number, Array<{ at: number; ref: Later }>>;
}
