// Every column of a table by name, checked complete against its row type at compile time.
// On PostgreSQL a statement that names its columns is sent as a named prepared statement (parsed
// once per connection, connection.ts); one with `*` is parsed on every execution, because its
// result type changes when a migration adds a column. The hot paths (a deal create reads its
// stage and the custom fields and returns the new row) name their columns with these lists.

type Missing<T, C extends readonly PropertyKey[]> = Exclude<keyof T, C[number]>;

/** `allColumns<StagesTable>()(['id', …])`: a compile error names any column left out. */
export const allColumns =
  <T>() =>
  <const C extends readonly (keyof T & string)[]>(cols: C & ([Missing<T, C>] extends [never] ? unknown : { missingColumns: Missing<T, C> })): C =>
    cols;
