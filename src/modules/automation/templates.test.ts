import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalogue, type FieldCatalogue } from './field-catalogue.js';
import { TemplateSyntaxError, escapeHtml, placeholdersOf, render, templateFieldErrors, validateTemplate, type RenderOptions } from './templates.js';

const CAT: FieldCatalogue = buildCatalogue(
  [
    { entity: 'deal', code: 'region', type: 'list', options: { choices: [{ id: 'msk', label: 'Москва' }, { id: 'spb', label: 'Санкт-Петербург' }] } },
    { entity: 'deal', code: 'services', type: 'multilist', options: { choices: [{ id: 'a', label: 'Монтаж' }, { id: 'b', label: 'Доставка' }] } },
    { entity: 'deal', code: 'weight', type: 'number', options: {} },
    { entity: 'contact', code: 'vip', type: 'boolean', options: {} },
  ],
  { 'deal.stageId': { type: 'enum', choices: [{ id: 7, label: 'Счёт выставлен' }] } },
);

const NBSP = '\u00a0';
const ru: RenderOptions = { locale: 'ru', escape: 'none', timeZone: 'Europe/Moscow', catalogue: CAT };
const en: RenderOptions = { locale: 'en', escape: 'none', timeZone: 'Europe/Moscow', catalogue: CAT };
const html: RenderOptions = { ...ru, escape: 'html' };

const values = {
  'deal.title': 'Поставка',
  'deal.amount': { amount: 123_450, currency: 'RUB' },
  'deal.closeDate': '2027-01-15',
  'deal.createdAt': '2026-12-31T21:30:00.000Z',
  'deal.stageId': 7,
  'deal.custom.region': 'spb',
  'deal.custom.services': ['b', 'a'],
  'deal.custom.weight': '12345.5',
  'contact.firstName': 'Иван',
  'contact.custom.vip': true,
  'responsible.name': 'Мария Петрова',
};

describe('validating a text when the robot is saved', () => {
  it('accepts known placeholders with and without filters', () => {
    expect(validateTemplate('Здравствуйте, {{contact.firstName}}! Сумма: {{ deal.amount | money }}, {{deal.createdAt|date}} {{ deal.custom.region }}', CAT)).toEqual([]);
  });

  it('refuses unknown placeholders with their position', () => {
    const errors = validateTemplate('Hello {{ contact.firstName }},\nyour deal {{ deal.titel }} and {{ deal.custom.nope }}', CAT);
    expect(errors).toEqual([
      { index: 41, line: 2, column: 11, source: '{{ deal.titel }}', message: 'unknown placeholder deal.titel' },
      { index: 62, line: 2, column: 32, source: '{{ deal.custom.nope }}', message: 'unknown placeholder deal.custom.nope' },
    ]);
  });

  it('refuses an unclosed {{, code, unknown filters and filters of another type', () => {
    const t = (s: string) => validateTemplate(s, CAT).map((e) => [e.column, e.message]);
    expect(t('Hi {{ contact.firstName')).toEqual([[4, expect.stringContaining('unclosed {{')]]);
    expect(t('{{ deal.title {{ deal.amount }}')).toEqual([[1, expect.stringContaining('unclosed {{')]]);
    expect(t('{{ deal.title.constructor() }}')).toEqual([[1, expect.stringContaining('a placeholder is {{ path }}')]]);
    expect(t("{{ 'x' | append: deal.title }}")).toEqual([[1, expect.stringContaining('a placeholder is {{ path }}')]]);
    expect(t('{% for x in deal %}{{ x }}{% endfor %}')).toEqual([[20, expect.stringContaining('a placeholder is {{ path }}')]]);
    // tags of other engines are no syntax here: plain text, output as written
    expect(render('{% if deal.closed %}{{ deal.title }}{% endif %}', values, ru).text).toBe('{% if deal.closed %}Поставка{% endif %}');
    expect(t('{{ deal.title | raw }}')).toEqual([[1, expect.stringContaining('unknown filter raw')]]);
    expect(t('{{ deal.title | money }}')).toEqual([[1, expect.stringContaining('filter money does not apply to deal.title (a string field)')]]);
    expect(t('{{ deal.__proto__ }} {{ constructor.name }}')).toEqual([
      [1, 'unknown placeholder deal.__proto__'],
      [22, 'unknown placeholder constructor.name'],
    ]);
  });

  it('gives field errors for a 422 naming the text', () => {
    expect(templateFieldErrors('Hi\n {{deal.titel}}', CAT, 'texts.body')).toEqual([{ path: 'texts.body', message: 'line 2, column 2: unknown placeholder deal.titel ({{deal.titel}})' }]);
  });

  it('lists the paths a text reads', () => {
    expect(placeholdersOf('{{deal.title}} {{ deal.amount|amount }} {{deal.title}}')).toEqual(['deal.title', 'deal.amount']);
  });
});

describe('rendering', () => {
  it('formats each type for the workspace language', () => {
    const text = '{{deal.title}}|{{deal.amount}}|{{deal.amount|amount}}|{{deal.closeDate}}|{{deal.createdAt}}|{{deal.createdAt|date}}|{{deal.createdAt|time}}|{{deal.stageId}}|{{deal.custom.region}}|{{deal.custom.services}}|{{deal.custom.weight}}|{{contact.custom.vip}}|{{responsible.name|upper}}';
    expect(render(text, values, ru).text).toBe(
      `Поставка|1${NBSP}234,50${NBSP}₽|1${NBSP}234,5|15.01.2027|01.01.2027, 00:30|01.01.2027|00:30|Счёт выставлен|Санкт-Петербург|Доставка, Монтаж|12${NBSP}345,5|да|МАРИЯ ПЕТРОВА`,
    );
    expect(render(text, values, en).text).toBe(
      `Поставка|RUB${NBSP}1,234.50|1,234.5|15 Jan 2027|1 Jan 2027, 00:30|1 Jan 2027|00:30|Счёт выставлен|Санкт-Петербург|Доставка, Монтаж|12,345.5|yes|МАРИЯ ПЕТРОВА`,
    );
  });

  it('writes datetimes in the workspace time zone', () => {
    const v = { 'deal.createdAt': '2026-12-31T21:30:00Z' };
    expect(render('{{deal.createdAt}}', v, { ...ru, timeZone: 'Asia/Vladivostok' }).text).toBe('01.01.2027, 07:30');
    expect(render('{{deal.createdAt}}', v, { ...ru, timeZone: 'UTC' }).text).toBe('31.12.2026, 21:30');
  });

  it('writes an empty value as nothing', () => {
    expect(render('[{{contact.lastName}}][{{deal.amount}}][{{deal.custom.services}}]', { 'contact.lastName': null }, ru).text).toBe('[][][]');
  });

  it('renders a placeholder whose field left the catalogue as nothing and reports it', () => {
    const small = { 'deal.title': { type: 'string' } } as const;
    expect(render('{{deal.title}} {{deal.custom.region}}!', values, { ...ru, catalogue: small })).toEqual({ text: 'Поставка !', unresolved: ['deal.custom.region'] });
  });

  it('refuses to render a text with a syntax error', () => {
    expect(() => render('{{ deal.title', values, ru)).toThrow(TemplateSyntaxError);
  });
});

describe('values are text, never template or markup', () => {
  const hostile = '{{ responsible.name }} <script>alert("x")</script> & {% raw %}';

  it('keeps {{ in a record field literal and escapes HTML in an e-mail body', () => {
    const v = { ...values, 'deal.title': hostile };
    expect(render('<p>{{deal.title}}</p>', v, html).text).toBe('<p>{{ responsible.name }} &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {% raw %}</p>');
    expect(render('{{deal.title}}', v, ru).text).toBe(hostile); // SMS: as written, not escaped
  });

  it('escapes labels of choices too', () => {
    const cat: FieldCatalogue = { 'deal.custom.region': { type: 'enum', choices: [{ id: 'x', label: '<b>R&D</b>' }] } };
    expect(render('{{deal.custom.region}}', { 'deal.custom.region': 'x' }, { ...html, catalogue: cat }).text).toBe('&lt;b&gt;R&amp;D&lt;/b&gt;');
  });

  const unescape = (s: string) => s.replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!);
  const chunk = fc.oneof(fc.string(), fc.constantFrom('{{', '}}', '{{ deal.title }}', '<', '>', '&', '"', "'", '{%', '&amp;'));
  const anyText = fc.array(chunk, { maxLength: 8 }).map((xs) => xs.join(''));

  it('outputs any field value exactly (SMS) or escaped so that it reads back exactly (e-mail)', () => {
    fc.assert(
      fc.property(anyText, anyText, (title, name) => {
        const v = { 'deal.title': title, 'responsible.name': name };
        expect(render('{{deal.title}}|{{ responsible.name }}', v, ru).text).toBe(`${title}|${name}`);
        const out = render('{{deal.title}}|{{ responsible.name }}', v, html).text;
        expect(out).not.toMatch(/[<>"']/);
        expect(unescape(out)).toBe(`${title}|${name}`);
      }),
    );
  });

  it('leaves a text without placeholders as it is', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes('{{')), (s) => {
        expect(validateTemplate(s, CAT)).toEqual([]);
        expect(render(s, values, html).text).toBe(s);
      }),
    );
  });

  it('is the literal text with each placeholder replaced by its value', () => {
    const literal = fc.string().filter((s) => !s.includes('{') && !s.includes('}'));
    fc.assert(
      fc.property(fc.array(fc.tuple(literal, fc.constantFrom('deal.title', 'contact.firstName', 'responsible.name')), { maxLength: 6 }), anyText, (pieces, title) => {
        const v = { ...values, 'deal.title': title };
        const text = pieces.map(([lit, path]) => `${lit}{{ ${path} }}`).join('');
        const expected = pieces.map(([lit, path]) => `${lit}${escapeHtml(String(v[path as keyof typeof v]))}`).join('');
        expect(validateTemplate(text, CAT)).toEqual([]);
        expect(render(text, v, html).text).toBe(expected);
      }),
    );
  });
});
