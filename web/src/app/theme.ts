import { Alert, createTheme, DEFAULT_THEME, Drawer, Modal, Notification, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/** A palette with its darkest shade replaced: the default one is below 4.5:1 on white and on its own light tint. */
const darkestShade = (name: 'orange' | 'green', shade9: string): MantineColorsTuple => [...DEFAULT_THEME.colors[name].slice(0, 9), shade9] as unknown as MantineColorsTuple;

export const baseTheme = createTheme({
  primaryColor: 'blue',
  // Contrast (WCAG AA, 4.5:1) for text on white and white on colour: shade 9 passes for blue, red,
  // teal, grape, violet, cyan; orange and green get a darker shade 9; yellow and other light fills
  // get dark text from autoContrast.
  primaryShade: 9,
  autoContrast: true,
  colors: { orange: darkestShade('orange', '#b8400c'), green: darkestShade('green', '#237032') },
  defaultRadius: 'sm',
  // keyboard users always see where focus is
  focusRing: 'auto',
  cursorType: 'pointer',
});

/**
 * The theme in the interface language: Mantine's close buttons (dialogs, drawers, notifications,
 * alerts) have no name of their own, and a screen reader would announce just «button».
 */
export function themeFor(closeLabel: string) {
  const closeButtonProps = { 'aria-label': closeLabel };
  return createTheme({
    ...baseTheme,
    components: {
      Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
      Alert: Alert.extend({ defaultProps: { closeButtonLabel: closeLabel } }),
    },
  });
}

/** Contrast: Mantine's default dimmed and placeholder greys are below WCAG AA (4.5:1) on white. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-placeholder': t.colors.gray[6],
  },
  dark: {},
});
