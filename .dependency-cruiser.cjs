// Module boundaries of the server, checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
//
// The layout (DESIGN.md): src/modules/<module>/ is one domain concept. A module's table access lives in
//   <name>.repo.ts    its repository: the Kysely queries over the module's own tables, and
//   <name>.mapper.ts  the mapping of those tables' rows (column names, flags, JSON columns) to API objects.
// Everything else in a module (its service, use-case files like create-deal.ts, schemas, types) is what
// other modules may import. "A module owns its tables; other modules call its service, never its
// repository": so no file outside src/modules/<x>/ imports src/modules/<x>/*.repo.ts or *.mapper.ts.
//
// No cycles between modules: .dependency-cruiser-modules.cjs (a second run, over src/modules alone).
//
// The queries themselves (a module naming another module's table in Kysely) are ESLint's house/own-tables.
//
// test/lint/house-rules.test.ts runs both configurations on fixtures that break each rule, so a rule that
// stops matching fails a test instead of passing silently.

const MODULE = '^src/modules/([^/]+)/';
const TABLE_ACCESS = '^src/modules/[^/]+/.+[.](repo|mapper)[.]ts$';
// Known exceptions: none today. An exception is a `pathNot` on the rule's `from`, with the reason beside it.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-other-modules-table-access',
      severity: 'error',
      comment:
        "A module reads and writes its own tables only: import the other module's service (or its schema/types), " +
        'never its repository (*.repo.ts) or row mapper (*.mapper.ts).',
      from: { path: MODULE },
      to: { path: TABLE_ACCESS, pathNot: '^src/modules/$1/' },
    },
    {
      name: 'no-table-access-outside-modules',
      severity: 'error',
      comment:
        'Server plumbing, the CLI and shared code go through a module\'s service, not its repository or row mapper.',
      from: { path: '^src/', pathNot: MODULE },
      to: { path: TABLE_ACCESS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
