import { describe, expect, it } from 'vitest';
import { mailtoHref, telHref } from './comm-links';

describe('tel: and mailto: links', () => {
  it('dials the normalized number, else the typed digits with a leading +', () => {
    expect(telHref({ value: '8 (912) 345-67-89', normalized: '+79123456789' })).toBe('tel:+79123456789');
    expect(telHref({ value: '+7 (912) 345-67-89' })).toBe('tel:+79123456789');
    expect(telHref({ value: '345-67-89 доб. 12', normalized: null })).toBe('tel:3456789' + '12');
    expect(mailtoHref({ value: ' anna@example.ru ' })).toBe('mailto:anna@example.ru');
  });
});
