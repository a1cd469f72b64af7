import { Table } from 'apache-arrow';
import { OpenDataError } from '../core/errors';
import { flatNumbers } from '../core/physics';

/**
 * A numeric column as float64 values with nulls as NaN, ready for Hist1D.fill; list (jagged)
 * columns are flattened. `source` names the table in error messages (e.g. its file).
 */
export function numericColumn(table: Table, name: string, source = 'table'): Float64Array {
  const column = table.getChild(name);
  if (column === null) {
    const names = table.schema.fields.map(f => f.name).join(', ');
    throw new OpenDataError('E_NOT_FOUND', `${source}: no column "${name}" (columns: ${names})`);
  }
  return flatNumbers(column, `${source}: column "${name}"`);
}
