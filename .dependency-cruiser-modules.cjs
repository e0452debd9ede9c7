// No import cycles between modules (src/modules/<module>/), checked by `npm run lint`.
//
// If a file of module A imports a file of module B (type-only imports count too: they couple the code as
// much), no file of B may import A, directly or through other modules. A module that must react to
// another does so through the other's service or an event, not by importing it back (DESIGN.md).
//
// dependency-cruiser checks cycles between folders (`scope: 'folder'`: a folder depends on the folders of
// what its files import). This run cruises src/modules/<module>/ alone (`includeOnly`), so the cycles it
// finds run through modules only: src/server is both the composition root (it imports every module to
// assemble the app) and the plumbing every module imports (errors, the request context), and counting it
// would make every module part of one cycle. The composition files src/modules/routes.ts and services.ts
// are left out the same way. Known exceptions: none today.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'Modules depend on each other one way only: see the top of .dependency-cruiser-modules.cjs.',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+$' },
      to: { path: '^src/modules/[^/]+$', circular: true },
    },
  ],
  options: {
    includeOnly: '^src/modules/[^/]+/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
