import { generatePassword } from '../../modules/auth/secrets.js';
import { createWorkspace } from '../../modules/workspaces/create-workspace.js';
import { withApp } from '../open-app.js';

export async function createWorkspaceCommand(opts: { name: string; adminEmail: string; adminName: string; adminPassword?: string; mode?: string }): Promise<void> {
  const password = opts.adminPassword ?? generatePassword();
  const crmMode = opts.mode === 'without_leads' ? 'without_leads' : 'with_leads';
  await withApp(async (ctx) => {
    const { workspaceId, adminId } = await createWorkspace(ctx, { name: opts.name, crmMode, admin: { email: opts.adminEmail, name: opts.adminName, password } });
    console.log(`workspace ${workspaceId} "${opts.name}" created; administrator #${adminId} ${opts.adminEmail}`);
    if (!opts.adminPassword) console.log(`password: ${password}   (shown once)`);
  });
}
