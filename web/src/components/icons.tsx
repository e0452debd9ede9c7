// A few line icons (24×24, stroke), inline so the shell needs no icon package.
// Decorative by default (aria-hidden); give a label to the control that holds them.

import type { SVGProps } from 'react';

const paths = {
  search: 'M10 4a6 6 0 1 0 0 12a6 6 0 0 0 0-12z M21 21l-6.5-6.5',
  board: 'M4 4h4v16H4z M10 4h4v10h-4z M16 4h4v13h-4z',
  leads: 'M3 4h18l-7 8v6l-4 2v-8z',
  contacts: 'M12 4a4 4 0 1 0 0 8a4 4 0 0 0 0-8z M5 20c0-3.5 3-6 7-6s7 2.5 7 6',
  companies: 'M4 20V6l8-3v17 M12 9h8v11 M2 20h20 M7 9h2 M7 13h2 M7 17h2 M15 13h2 M15 17h2',
  myDay: 'M4 6h16v14H4z M4 10h16 M8 3v4 M16 3v4 M9 15l2 2l4-4',
  settings:
    'M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6z M12 2v3 M12 19v3 M4.9 4.9l2.1 2.1 M17 17l2.1 2.1 M2 12h3 M19 12h3 M4.9 19.1L7 17 M17 7l2.1-2.1',
  logout: 'M14 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v14a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1v-3 M10 12h11 M18 9l3 3l-3 3',
  key: 'M8 11a4 4 0 1 0 0 .01z M11.5 12.5L20 4 M17 7l2 2 M15 9l2 2',
  chevronDown: 'M6 9l6 6l6-6',
  alert: 'M12 3l10 18H2z M12 10v5 M12 18v.01',
  trash: 'M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13 M10 11v6 M14 11v6',
  inbox: 'M4 13h4l2 3h4l2-3h4 M4 13l2-8h12l2 8v6H4z',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13 7l4 4',
  bell: 'M6 17V11a6 6 0 0 1 12 0v6l2 2H4z M10 21h4',
  robot: 'M5 8h14v11H5z M12 8V4 M10 4h4 M9 12v2 M15 12v2 M9 16.5h6 M3 12v3 M21 12v3',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18, ...rest }: { name: IconName; size?: number } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      <path d={paths[name]} />
    </svg>
  );
}
