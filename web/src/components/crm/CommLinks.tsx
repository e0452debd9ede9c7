import { Anchor, Group, Text } from '@mantine/core';
import type { MantineSize } from '@mantine/core';
import { mailtoHref, telHref, type CommValue } from './comm-links';

// Phones and e-mails as tel:/mailto: links, inline (lists, the deal card's client, My day's calls).
// A click on one does not open the row or card it sits in.

export function PhoneLink({ phone, size = 'sm', label }: { phone: CommValue; size?: MantineSize; label?: string }) {
  return (
    <Anchor href={telHref(phone)} size={size} onClick={(e) => e.stopPropagation()} data-testid="tel-link" aria-label={label} style={{ whiteSpace: 'nowrap' }}>
      {phone.value}
    </Anchor>
  );
}

export function EmailLink({ email, size = 'sm' }: { email: CommValue; size?: MantineSize }) {
  return (
    <Anchor href={mailtoHref(email)} size={size} onClick={(e) => e.stopPropagation()} data-testid="mailto-link" style={{ overflowWrap: 'anywhere' }}>
      {email.value}
    </Anchor>
  );
}

/** The phones, then the e-mails (the first `max` of each), separated by commas. */
export function CommLinks({ phones = [], emails = [], max, size = 'sm', prefix }: { phones?: CommValue[]; emails?: CommValue[]; max?: number; size?: MantineSize; prefix?: string }) {
  const ps = max === undefined ? phones : phones.slice(0, max);
  const es = max === undefined ? emails : emails.slice(0, max);
  if (!ps.length && !es.length) return null;
  return (
    <Group gap={4} wrap="wrap" component="span" style={{ columnGap: 8 }}>
      {prefix && (
        <Text span size={size} c="dimmed">
          {prefix}
        </Text>
      )}
      {ps.map((p, i) => (
        <PhoneLink key={`p${i}`} phone={p} size={size} />
      ))}
      {es.map((e, i) => (
        <EmailLink key={`e${i}`} email={e} size={size} />
      ))}
    </Group>
  );
}
