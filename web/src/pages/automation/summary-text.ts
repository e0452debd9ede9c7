import type { TFunction } from 'i18next';
import { providerName } from '../../lib/provider-name';

// The built-in robot types write what they did in English (the automation log is shared with
// the API); the screens show the known sentences in the interface's language and any other as is.

const PATTERNS: Array<[RegExp, string, (m: RegExpMatchArray) => Record<string, string>]> = [
  [/^(would )?plan(?:ned)? an? (call|meeting|e-mail|task) «([\s\S]*)»$/, 'planned', (m) => ({ type: m[2]!, subject: m[3]! })],
  [/^(would )?add(?:ed)? a comment$/, 'comment', () => ({})],
  [/^(would )?notif(?:y|ied) (\d+) user\(s\)$/, 'notified', (m) => ({ count: m[2]! })],
  [/^(would )?move(?:d)? the deal to «([\s\S]*)»$/, 'moved', (m) => ({ stage: m[2]! })],
  [/^already in «([\s\S]*)»$/, 'alreadyIn', (m) => ({ stage: m[1]! })],
  [/^(would )?(?:make|made) user (\d+) responsible$/, 'responsible', (m) => ({ user: m[2]! })],
  [/^the responsible is already the chosen user$/, 'responsibleSame', () => ({})],
  [/^(would )?change(?:d)? the observers$/, 'observers', () => ({})],
  [/^the observers were already so$/, 'observersSame', () => ({})],
  [/^(would )?set ([\w, .]+)$/, 'set', (m) => ({ fields: m[2]! })],
  [/^sent an SMS to (\S+) through (\w+) \(found at the provider after an interrupted attempt\)$/, 'smsRecovered', (m) => ({ to: m[1]!, provider: m[2]! })],
  [/^(would )?sen(?:d|t) an SMS to (\S+) through (\w+)$/, 'sms', (m) => ({ to: m[2]!, provider: m[3]! })],
  [/^(would )?sen(?:d|t) an e-mail «([\s\S]*)» to (\S+)$/, 'email', (m) => ({ subject: m[2]!, to: m[3]! })],
];

/** A run's or a dry run's summary in the interface's language. */
export function summaryText(t: TFunction, summary: string, userName?: (id: number) => string | undefined): string {
  for (const [re, key, vars] of PATTERNS) {
    const m = re.exec(summary);
    if (!m) continue;
    const v = vars(m);
    const would = m[1] === 'would ' && key !== 'alreadyIn';
    if (v.type) v.type = t(`automation.summary.types.${v.type === 'e-mail' ? 'email' : v.type}`);
    if (v.user) v.user = userName?.(Number(v.user)) ?? `#${v.user}`;
    if (v.provider) v.provider = providerName(t, v.provider);
    return t(`automation.summary.${key}${would ? 'Would' : ''}`, { ...v, count: v.count ? Number(v.count) : undefined });
  }
  return summary;
}
