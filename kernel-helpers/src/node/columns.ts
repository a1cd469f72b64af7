import { DataType, Float16, Table } from 'apache-arrow';
import { OpenDataError } from '../core/errors';

/**
 * A numeric column as float64 values with nulls as NaN, ready for Hist1D.fill. `source` names
 * the table in error messages (e.g. its file).
 */
export function numericColumn(table: Table, name: string, source = 'table'): Float64Array {
  const column = table.getChild(name);
  if (column === null) {
    const names = table.schema.fields.map(f => f.name).join(', ');
    throw new OpenDataError('E_NOT_FOUND', `${source}: no column "${name}" (columns: ${names})`);
  }
  if (!DataType.isInt(column.type) && !DataType.isFloat(column.type)) {
    throw new OpenDataError(
      'E_FORMAT',
      `${source}: column "${name}" holds ${column.type}, not numbers`
    );
  }
  // toArray gives the stored values (bigint for 64-bit integers, raw bits for float16).
  const raw: ArrayLike<number | bigint | null> =
    column.type instanceof Float16
      ? Array.from(column)
      : (column.toArray() as ArrayLike<number | bigint>);
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i] ?? NaN);
  if (column.nullCount > 0) {
    for (let i = 0; i < out.length; i++) if (!column.isValid(i)) out[i] = NaN;
  }
  return out;
}
