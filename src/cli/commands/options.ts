/** Parses a numeric option such as `--workspace 2`; undefined when not given. */
export function parsePositiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

export const parseWorkspaceId = (value: string | undefined) => parsePositiveInt('--workspace', value);
