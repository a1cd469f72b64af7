// Arrow columns as JSON text for `read --json`: lists as nested arrays, structs as objects of their
// members, 64-bit integers with all their digits (JSON numbers have no size limit; JSON.stringify
// cannot write bigint), NaN and ±Infinity as null (JSON has no such numbers).
import { Table } from 'apache-arrow';

function isVectorLike(v: object): v is { length: number; get(i: number): unknown } {
  return (
    typeof (v as { get?: unknown }).get === 'function' &&
    typeof (v as { length?: unknown }).length === 'number' &&
    'type' in v
  );
}

function valueJSON(v: unknown, parts: string[]): void {
  if (v === null || v === undefined) {
    parts.push('null');
  } else if (typeof v === 'number') {
    parts.push(Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'bigint') {
    parts.push(v.toString());
  } else if (typeof v === 'boolean' || typeof v === 'string') {
    parts.push(JSON.stringify(v));
  } else if (typeof v === 'object' && isVectorLike(v)) {
    parts.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) parts.push(',');
      valueJSON(v.get(i), parts);
    }
    parts.push(']');
  } else if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const a = v as unknown as ArrayLike<unknown>;
    parts.push('[');
    for (let i = 0; i < a.length; i++) {
      if (i > 0) parts.push(',');
      valueJSON(a[i], parts);
    }
    parts.push(']');
  } else if (typeof v === 'object') {
    // a struct row: its members by name
    const obj =
      typeof (v as { toJSON?: unknown }).toJSON === 'function'
        ? (v as { toJSON(): object }).toJSON()
        : v;
    parts.push('{');
    Object.entries(obj).forEach(([k, x], i) => {
      if (i > 0) parts.push(',');
      parts.push(JSON.stringify(k), ':');
      valueJSON(x, parts);
    });
    parts.push('}');
  } else {
    parts.push(JSON.stringify(String(v)));
  }
}

/** `{"columns": {"A": [...], ...}}` for every column of `table`. */
export function columnsJSON(table: Table): string {
  const parts: string[] = ['{"columns":{'];
  table.schema.fields.forEach((field, j) => {
    if (j > 0) parts.push(',');
    parts.push(JSON.stringify(field.name), ':');
    const column = table.getChildAt(j)!;
    parts.push('[');
    for (let i = 0; i < column.length; i++) {
      if (i > 0) parts.push(',');
      valueJSON(column.get(i), parts);
    }
    parts.push(']');
  });
  parts.push('}}');
  return parts.join('');
}

/** One value as short text for the human-readable table of `read`. */
export function valueText(v: unknown): string {
  const parts: string[] = [];
  valueJSON(v, parts);
  const text = parts.join('');
  return typeof v === 'string' ? v : text;
}
