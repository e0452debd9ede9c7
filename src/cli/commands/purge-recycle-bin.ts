import { withApp } from '../open-app.js';

/** `voronka purge-recycle-bin`: empties what has stayed in the recycle bin longer than its workspace keeps it. */
export async function purgeRecycleBinCommand(): Promise<void> {
  const purged = await withApp((ctx) => ctx.services.recycleBin.purgeExpired());
  console.log(`purged ${purged} item(s) from the recycle bin`);
}
