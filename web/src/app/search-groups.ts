/** What the global search looks through, in the order its groups are shown. */
export type SearchGroup = 'deals' | 'leads' | 'contacts' | 'companies';
const GROUPS: SearchGroup[] = ['deals', 'leads', 'contacts', 'companies'];

/** The groups searched: all of them, less leads when the workspace is known to work without leads. */
export const searchGroups = (leadsEnabled: boolean | undefined): SearchGroup[] => (leadsEnabled === false ? GROUPS.filter((g) => g !== 'leads') : GROUPS);
