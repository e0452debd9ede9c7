import { lazy, useState, type ComponentType } from 'react';

/** A screen loaded on demand whose code can be fetched ahead of the navigation to it. */
export interface LazyPage {
  (): React.JSX.Element;
  /** Starts loading the screen's code (once); later renders then need not suspend. */
  preload(): Promise<unknown>;
}

/**
 * Like React.lazy, but a screen whose code is already here renders at once. React.lazy suspends on
 * its first render even when the module has been fetched, and React holds back revealing content
 * that suspended (up to 300 ms after the fallback was shown), so a preloaded screen would still
 * open a blank page for a moment.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | undefined;
  let loading: Promise<unknown> | undefined;
  const loadOnce = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (error: unknown) => {
        loading = undefined; // a failed download (e.g. a new release replaced the file) may be retried
        throw error;
      },
    ));
  const Suspending = lazy(() => loadOnce() as Promise<{ default: ComponentType }>);
  function Page() {
    // chosen once per mount: switching type later would remount the screen
    const [Screen] = useState(() => loaded ?? Suspending);
    return <Screen />;
  }
  Page.preload = loadOnce;
  return Page;
}
