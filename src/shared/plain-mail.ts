// The HTML part of a plain-text e-mail we write ourselves (the daily digest, a notification's copy):
// the title as a heading, the text as it is, both HTML-escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const plainMailHtml = (title: string, text: string) =>
  `<!doctype html><html><body><h2>${escapeHtml(title)}</h2><pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre></body></html>`;
