import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  // keyboard users always see where focus is
  focusRing: 'auto',
  cursorType: 'pointer',
});

/** Contrast: Mantine's default dimmed and placeholder greys are below WCAG AA (4.5:1) on white. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-placeholder': t.colors.gray[6],
  },
  dark: {},
});
