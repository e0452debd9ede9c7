// Every kind of entry the server writes into a record's timeline. `TimelineEvent.kind` is typed
// with it, so a new kind cannot be written without being added here, and the web app's unit test
// (web/src/components/record/timeline-kinds.test.ts) fails until the new kind has a rendering
// and its texts in every language. No imports: the web's test reads it as it is.

export const TIMELINE_KINDS = [
  'comment',
  'created',
  'updated',
  'responsible_changed',
  'stage_moved',
  'status_changed',
  'converted',
  'merged',
  'deleted',
  'restored',
  'purged',
  'activity_created',
  'activity_updated',
  'activity_done',
  'activity_cancelled',
  'activity_deleted',
  'sms_sent',
  'webhook_sent',
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];
