import type { Locale } from '../../shared/locale.js';
import { wallClock } from '../../shared/time-zone.js';
import { plainMailHtml } from '../../shared/plain-mail.js';

// What the notices and the digest say, in the workspace's language. Plain text: the bell shows
// it as text and the digest e-mail escapes it into HTML.

const pad = (n: number) => String(n).padStart(2, '0');

/** 04.12.2026 10:00 in the workspace's time zone */
export function localDateTime(iso: string, timeZone: string): string {
  const w = wallClock(Date.parse(iso), timeZone);
  return `${pad(w.day)}.${pad(w.month)}.${w.year} ${pad(w.hour)}:${pad(w.minute)}`;
}

export const texts = {
  ru: {
    activityOverdue: (subject: string) => `Просрочено дело «${subject}»`,
    activityOverdueHead: (subject: string, manager: string) => `Просрочено дело у ${manager}: «${subject}»`,
    deadline: (at: string) => `Срок: ${at}`,
    dealIdle: (title: string, days: number) => `Сделка «${title}» без движения ${days} дн.`,
    dealIdleHead: (title: string, manager: string, days: number) => `Сделка «${title}» (${manager}) без движения ${days} дн.`,
    inStageSince: (at: string) => `В стадии с ${at}`,
    digestTitle: (date: string) => `Сводка контроля сроков на ${date}`,
    digestEmpty: 'Просроченных дел и сделок без движения нет.',
    sectionOverdue: 'Просроченные дела',
    sectionIdle: 'Сделки без движения',
    sectionNoActivity: 'Сделки без запланированного дела',
    more: (n: number) => `…и ещё ${n}`,
    you: 'Ваши',
  },
  en: {
    activityOverdue: (subject: string) => `Overdue activity “${subject}”`,
    activityOverdueHead: (subject: string, manager: string) => `${manager} has an overdue activity: “${subject}”`,
    deadline: (at: string) => `Deadline: ${at}`,
    dealIdle: (title: string, days: number) => `Deal “${title}” idle for ${days} days`,
    dealIdleHead: (title: string, manager: string, days: number) => `Deal “${title}” (${manager}) idle for ${days} days`,
    inStageSince: (at: string) => `In its stage since ${at}`,
    digestTitle: (date: string) => `Overdue control digest for ${date}`,
    digestEmpty: 'No overdue activities and no idle deals.',
    sectionOverdue: 'Overdue activities',
    sectionIdle: 'Idle deals',
    sectionNoActivity: 'Deals without a planned activity',
    more: (n: number) => `…and ${n} more`,
    you: 'Yours',
  },
} satisfies Record<Locale, unknown>;

export type Texts = (typeof texts)['ru'];

export interface DigestGroup {
  managerId: number;
  managerName: string;
  overdue: Array<{ subject: string; deadlineAt: string }>;
  idle: Array<{ title: string; since: string }>;
  noActivity: Array<{ title: string }>;
}

/** Items shown per section of one manager; the rest are counted. */
export const DIGEST_ITEMS_SHOWN = 20;

/** The digest as text: one block per manager (the recipient's own first), each with its sections. */
export function digestText(t: Texts, groups: DigestGroup[], recipientId: number, timeZone: string): string {
  if (groups.length === 0) return t.digestEmpty;
  const blocks: string[] = [];
  for (const g of groups) {
    const lines: string[] = [g.managerId === recipientId ? `${t.you} (${g.managerName})` : g.managerName];
    const section = <T>(title: string, items: T[], line: (x: T) => string) => {
      if (items.length === 0) return;
      lines.push(`  ${title}: ${items.length}`);
      for (const x of items.slice(0, DIGEST_ITEMS_SHOWN)) lines.push(`  – ${line(x)}`);
      if (items.length > DIGEST_ITEMS_SHOWN) lines.push(`  ${t.more(items.length - DIGEST_ITEMS_SHOWN)}`);
    };
    section(t.sectionOverdue, g.overdue, (a) => `${a.subject} (${localDateTime(a.deadlineAt, timeZone)})`);
    section(t.sectionIdle, g.idle, (d) => `${d.title} (${localDateTime(d.since, timeZone)})`);
    section(t.sectionNoActivity, g.noActivity, (d) => d.title);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

/** The digest e-mail's HTML: the text, escaped, kept as preformatted lines. */
export const digestHtml = plainMailHtml;
