import { generatePassword } from '../../modules/auth/secrets.js';
import { createWorkspace } from '../../modules/workspaces/create-workspace.js';
import { parseLocale } from '../../shared/locale.js';
import { CRM_MODES } from '../../modules/workspaces/workspaces.schema.js';
import { withApp } from '../open-app.js';

export async function createWorkspaceCommand(opts: { name: string; adminEmail: string; adminName?: string; adminPassword?: string; mode?: string; locale?: string }): Promise<void> {
  const crmMode = CRM_MODES.find((m) => m === (opts.mode ?? 'with_leads'));
  if (!crmMode) throw new Error(`--mode must be one of ${CRM_MODES.join(', ')}, got "${opts.mode}"`);
  const locale = parseLocale('--locale', opts.locale);
  const password = opts.adminPassword ?? generatePassword();
  await withApp(async (ctx) => {
    const { workspaceId, adminId } = await createWorkspace(ctx, { name: opts.name, crmMode, locale, admin: { email: opts.adminEmail, name: opts.adminName, password } });
    console.log(`workspace ${workspaceId} "${opts.name}" created; administrator #${adminId} ${opts.adminEmail}`);
    if (!opts.adminPassword) console.log(`password: ${password}   (shown once)`);
  });
}
