// The timeline entry kinds the web app renders, with the colour of their dot. Timeline.tsx gives
// each of them a body (its map is typed by these keys), and timeline-kinds.test.ts checks that
// they are exactly the kinds the server writes (src/modules/timeline/kinds.ts) and that each has
// its texts in every language: a kind the server can write cannot fall through to a raw code.

export const KIND_COLOR = {
  comment: 'blue',
  created: 'teal',
  updated: 'gray',
  responsible_changed: 'grape',
  stage_moved: 'indigo',
  status_changed: 'indigo',
  converted: 'teal',
  merged: 'violet',
  deleted: 'red',
  restored: 'lime',
  purged: 'red',
  activity_created: 'cyan',
  activity_updated: 'cyan',
  activity_done: 'green',
  activity_cancelled: 'orange',
  activity_deleted: 'orange',
  sms_sent: 'pink',
  webhook_sent: 'gray',
} as const;

export type WebTimelineKind = keyof typeof KIND_COLOR;

export const isKnownKind = (kind: string): kind is WebTimelineKind => Object.hasOwn(KIND_COLOR, kind);

/** Why a deal moved when it was not a plain move (stage_moved's `reason`), and a lead's status change's. */
export const MOVE_REASONS = ['stage_deleted', 'restored_stage_archived', 'converted'] as const;
