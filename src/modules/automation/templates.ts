import type { FieldError } from '../../server/errors.js';
import { formatMoney, minorToDecimal } from '../../shared/money.js';
import type { Locale } from '../../shared/locale.js';
import { safeTimeZone, wallClock } from '../../shared/time-zone.js';
import type { CatalogueField, CatalogueType, FieldCatalogue, RecordValues } from './field-catalogue.js';

// Placeholders in robot texts (SMS, e-mail subject and body, task titles): `{{ deal.title }}`,
// `{{ deal.amount }}`, `{{ deal.createdAt | date }}`. A tiny logic-less language of our own rather
// than a template engine: the only construct is an output of one catalogue path with at most one
// filter from a fixed list, so a template cannot loop, branch, include files, call methods or read
// anything but the record's catalogue values (docs/automation-conditions.md says why not liquidjs).
//
// - The text is parsed once into literal text and placeholders; values are substituted in one
//   pass and never parsed again, so a record field holding `{{ x }}` or `<script>` is output as
//   those characters (HTML-escaped for an e-mail body).
// - validateTemplate (when a robot is saved) refuses an unclosed `{{`, a malformed placeholder, an
//   unknown path, an unknown filter and a filter that does not fit the field's type, each with its
//   position (offset, line, column).

export const TEMPLATE_FILTERS = ['money', 'amount', 'number', 'date', 'time', 'datetime', 'upper', 'lower'] as const;
export type TemplateFilter = (typeof TEMPLATE_FILTERS)[number];

/** The field types each filter takes. */
export const FILTER_TYPES: Readonly<Record<TemplateFilter, readonly CatalogueType[]>> = {
  money: ['money'],
  amount: ['money'],
  number: ['number'],
  date: ['date', 'datetime'],
  time: ['datetime'],
  datetime: ['datetime'],
  upper: ['string', 'enum'],
  lower: ['string', 'enum'],
};

export interface Placeholder {
  path: string;
  filter: TemplateFilter | null;
  /** offset of `{{` in the text */
  index: number;
  /** length of `{{ … }}` */
  length: number;
}

export type TemplatePart = { text: string } | { placeholder: Placeholder };

export interface TemplateError {
  /** offset in the text (0-based), line and column (1-based) */
  index: number;
  line: number;
  column: number;
  /** the placeholder as written, `{{ deal.titel }}` */
  source: string;
  message: string;
}

export class TemplateSyntaxError extends Error {
  constructor(readonly errors: TemplateError[]) {
    super(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '));
    this.name = 'TemplateSyntaxError';
  }
}

const INNER = /^\s*([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+){1,2})\s*(?:\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?$/;
const MAX_TEMPLATE = 100_000;

function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: index - start + 1 };
}

/** Splits a text into literal parts and placeholders; syntax errors (not catalogue ones) are listed. */
export function parseTemplate(text: string): { parts: TemplatePart[]; errors: TemplateError[] } {
  const parts: TemplatePart[] = [];
  const errors: TemplateError[] = [];
  const err = (index: number, source: string, message: string) => errors.push({ index, ...position(text, index), source, message });
  if (text.length > MAX_TEMPLATE) err(0, '', `a text may be at most ${MAX_TEMPLATE} characters`);
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open === -1) break;
    if (open > at) parts.push({ text: text.slice(at, open) });
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const end = nextOpen === -1 ? Math.min(text.length, open + 40) : nextOpen;
      err(open, text.slice(open, end), 'unclosed {{ — a placeholder is {{ path }} or {{ path | filter }}');
      parts.push({ text: text.slice(open, end) });
      at = end;
      continue;
    }
    const source = text.slice(open, close + 2);
    const m = INNER.exec(text.slice(open + 2, close));
    if (!m) {
      err(open, source, 'a placeholder is {{ path }} or {{ path | filter }}, e.g. {{ deal.title }}');
      parts.push({ text: source });
    } else {
      const filter = m[2] ?? null;
      if (filter !== null && !(TEMPLATE_FILTERS as readonly string[]).includes(filter)) {
        err(open, source, `unknown filter ${filter}; filters: ${TEMPLATE_FILTERS.join(', ')}`);
        parts.push({ text: source });
      } else {
        parts.push({ placeholder: { path: m[1]!, filter: filter as TemplateFilter | null, index: open, length: source.length } });
      }
    }
    at = close + 2;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return { parts, errors };
}

const lookup = (catalogue: FieldCatalogue, path: string): CatalogueField | undefined =>
  Object.prototype.hasOwnProperty.call(catalogue, path) ? catalogue[path] : undefined;

/**
 * Every problem of a text, in order: syntax, unknown placeholders (a path outside the catalogue)
 * and filters that do not fit their field. Empty when the text may be saved.
 */
export function validateTemplate(text: string, catalogue: FieldCatalogue): TemplateError[] {
  const { parts, errors } = parseTemplate(text);
  for (const part of parts) {
    if (!('placeholder' in part)) continue;
    const p = part.placeholder;
    const source = text.slice(p.index, p.index + p.length);
    const field = lookup(catalogue, p.path);
    if (!field) errors.push({ index: p.index, ...position(text, p.index), source, message: `unknown placeholder ${p.path}` });
    else if (p.filter && !FILTER_TYPES[p.filter].includes(field.type))
      errors.push({ index: p.index, ...position(text, p.index), source, message: `filter ${p.filter} does not apply to ${p.path} (a ${field.type} field); it takes ${FILTER_TYPES[p.filter].join(' or ')}` });
  }
  return errors.sort((a, b) => a.index - b.index);
}

/** validateTemplate's errors as field errors of the text at `path` (for a 422 naming the robot's text). */
export function templateFieldErrors(text: string, catalogue: FieldCatalogue, path: string): FieldError[] {
  return validateTemplate(text, catalogue).map((e) => ({ path, message: `line ${e.line}, column ${e.column}: ${e.message} (${e.source})` }));
}

/** The paths a text uses (for a robot's "which fields it reads" list). */
export function placeholdersOf(text: string): string[] {
  return [...new Set(parseTemplate(text).parts.flatMap((p) => ('placeholder' in p ? [p.placeholder.path] : [])))];
}

// ---------------------------------------------------------------------------------------------
// Rendering

export interface RenderOptions {
  locale: Locale;
  /** 'html' for an e-mail body (values are HTML-escaped), 'none' for SMS, subjects, task titles */
  escape: 'html' | 'none';
  /** the workspace's IANA time zone, for datetimes */
  timeZone: string;
  catalogue: FieldCatalogue;
}

export interface Rendered {
  text: string;
  /** placeholders whose field has left the catalogue since the text was saved (rendered empty) */
  unresolved: string[];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** A calendar date for people: ru 28.11.2026, en 28 Nov 2026. */
export function formatDate(y: number, m: number, d: number, locale: Locale): string {
  return locale === 'ru' ? `${pad2(d)}.${pad2(m)}.${y}` : `${d} ${MONTHS_EN[m - 1]} ${y}`;
}

function formatValue(field: CatalogueField, filter: TemplateFilter | null, v: unknown, opts: RenderOptions): string {
  if (v === null || v === undefined) return '';
  switch (field.type) {
    case 'money': {
      if (typeof v !== 'object' || Array.isArray(v)) return '';
      const { amount, currency } = v as { amount?: unknown; currency?: unknown };
      if (!Number.isSafeInteger(amount) || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return '';
      if (filter === 'amount') return formatNumber(minorToDecimal(amount as number, currency), opts.locale);
      return formatMoney(amount as number, currency, opts.locale);
    }
    case 'number': {
      const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
      return /^-?\d+(\.\d+)?$/.test(s) ? formatNumber(s, opts.locale) : s;
    }
    case 'date': {
      const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
      return m ? formatDate(Number(m[1]), Number(m[2]), Number(m[3]), opts.locale) : '';
    }
    case 'datetime': {
      const ms = typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isFinite(ms)) return '';
      const w = wallClock(ms, safeTimeZone(opts.timeZone));
      const date = formatDate(w.year, w.month, w.day, opts.locale);
      const time = `${pad2(w.hour)}:${pad2(w.minute)}`;
      return filter === 'date' ? date : filter === 'time' ? time : `${date}, ${time}`;
    }
    case 'boolean':
      return typeof v === 'boolean' ? (opts.locale === 'ru' ? (v ? 'да' : 'нет') : v ? 'yes' : 'no') : '';
    case 'enum':
      return caseFilter(labelOf(field, v), filter);
    case 'list':
      return Array.isArray(v) ? v.map((x) => labelOf(field, x)).filter((s) => s !== '').join(', ') : '';
    case 'string':
      return caseFilter(typeof v === 'string' || typeof v === 'number' ? String(v) : '', filter);
  }
}

function labelOf(field: CatalogueField, v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') return '';
  const choice = field.choices?.find((c) => String(c.id) === String(v));
  return choice ? choice.label : String(v);
}

const caseFilter = (s: string, filter: TemplateFilter | null) => (filter === 'upper' ? s.toUpperCase() : filter === 'lower' ? s.toLowerCase() : s);

const numberFormats = new Map<Locale, Intl.NumberFormat>();

function formatNumber(decimal: string, locale: Locale): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 10 });
    numberFormats.set(locale, f);
  }
  // Intl formats a decimal string exactly; up to 10 fraction digits as stored by custom fields
  return f.format(decimal as unknown as number);
}

/**
 * Renders a validated text with a record's values. Every value is output as text — formatted for
 * its type, then HTML-escaped if `escape` is 'html' — and never interpreted. A placeholder whose
 * field has left the catalogue renders empty and is listed in `unresolved`; a text with a syntax
 * error throws TemplateSyntaxError (texts are validated when a robot is saved).
 */
export function render(text: string, values: RecordValues, opts: RenderOptions): Rendered {
  const { parts, errors } = parseTemplate(text);
  if (errors.length) throw new TemplateSyntaxError(errors);
  const unresolved: string[] = [];
  let out = '';
  for (const part of parts) {
    if (!('placeholder' in part)) {
      out += part.text;
      continue;
    }
    const { path, filter } = part.placeholder;
    const field = lookup(opts.catalogue, path);
    if (!field) {
      unresolved.push(path);
      continue;
    }
    const value = Object.prototype.hasOwnProperty.call(values, path) ? values[path] : undefined;
    const s = formatValue(field, filter && FILTER_TYPES[filter].includes(field.type) ? filter : null, value, opts);
    out += opts.escape === 'html' ? escapeHtml(s) : s;
  }
  return { text: out, unresolved };
}
