import { generatePassword } from '../../modules/auth/secrets.js';
import { updateUserBody } from '../../modules/users/users.schema.js';
import { adminActor, withApp } from '../open-app.js';

/**
 * Sets a new password as the administrator of the user's workspace. The users service ends the
 * user's sessions on a password change, so whoever held the old password is logged out.
 */
export async function resetPasswordCommand(opts: { email: string; password?: string }): Promise<void> {
  const password = opts.password ?? generatePassword();
  const email = opts.email.trim().toLowerCase();
  await withApp(async (ctx) => {
    // E-mail is the log-in and unique across workspaces: it names the workspace too.
    const user = await ctx.db.kysely.selectFrom('users').select(['id', 'workspace_id']).where('email', '=', email).executeTakeFirst();
    if (!user) throw new Error(`no user with e-mail ${email}`);
    const admin = await adminActor(ctx, user.workspace_id);
    const current = await ctx.services.users.get(admin, user.id);
    const input = updateUserBody.parse({ password });
    await ctx.services.users.update(admin, user.id, input, current.version);
    console.log(`password of user #${user.id} ${email} reset; their sessions are ended`);
    if (!opts.password) console.log(`password: ${password}   (shown once)`);
  });
}
