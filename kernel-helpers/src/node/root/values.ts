// Flattening a (possibly jagged) numeric column to float64 values, for histograms: jagged branches
// are flattened (DESIGN.md), 64-bit integers become the nearest doubles, booleans 0/1.
import { DataType, Vector } from 'apache-arrow';
import { OpenDataError } from '../../core/errors';

/** Every leaf value of a numeric column, lists flattened, as float64. `what` names it in errors. */
export function flatValues(column: Vector, what = 'column'): Float64Array {
  let total = 0;
  const leaves: {
    values: ArrayLike<number | bigint>;
    bool: boolean;
    offset: number;
    length: number;
  }[] = [];
  for (const chunk of column.data) {
    let data = chunk;
    let start = data.offset;
    let end = data.offset + data.length;
    for (;;) {
      if (DataType.isList(data.type)) {
        const off = data.valueOffsets;
        [start, end] = [off[start], off[end]];
        data = data.children[0];
        start += data.offset;
        end += data.offset;
      } else if (DataType.isFixedSizeList(data.type)) {
        const size = data.type.listSize;
        data = data.children[0];
        [start, end] = [data.offset + start * size, data.offset + end * size];
      } else break;
    }
    const bool = DataType.isBool(data.type);
    if (!bool && !DataType.isInt(data.type) && !DataType.isFloat(data.type)) {
      throw new OpenDataError('E_FORMAT', `${what} holds ${data.type}, not numbers`);
    }
    if (data.nullCount > 0) throw new OpenDataError('E_UNSUPPORTED', `${what} has missing values`);
    leaves.push({
      values: data.values as ArrayLike<number | bigint>,
      bool,
      offset: start,
      length: end - start
    });
    total += end - start;
  }
  const out = new Float64Array(total);
  let k = 0;
  for (const { values, bool, offset, length } of leaves) {
    if (length === 0) continue;
    if (bool) {
      for (let i = 0; i < length; i++) {
        out[k++] = ((values[(offset + i) >> 3] as number) >> ((offset + i) & 7)) & 1;
      }
    } else if (typeof values[0] === 'bigint') {
      for (let i = 0; i < length; i++) out[k++] = Number(values[offset + i]);
    } else {
      out.set((values as Float64Array).subarray(offset, offset + length), k);
      k += length;
    }
  }
  return out;
}
