// What a notification can be about, and which kinds also come by e-mail unless the user says otherwise.

/** robot: a robot's "notify" action; activity_overdue / deal_idle: the overdue control; digest: the daily summary */
export const NOTIFICATION_KINDS = ['robot', 'activity_overdue', 'deal_idle', 'digest'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** the records a notification may link to; each is shown only while the user may read it */
export const NOTIFICATION_ENTITIES = ['deal', 'lead', 'contact', 'company', 'activity'] as const;
export type NotificationEntity = (typeof NOTIFICATION_ENTITIES)[number];

/** e-mail when the user has not chosen: off, except the digest, which is an e-mail by nature */
export const EMAIL_DEFAULTS: Readonly<Record<NotificationKind, boolean>> = {
  robot: false,
  activity_overdue: false,
  deal_idle: false,
  digest: true,
};

export const isNotificationKind = (v: string): v is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(v);
