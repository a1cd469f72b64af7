// A cell ending with an Arrow table (what readTable, readCSV and tree.read give) shows its head:
// the columns with their types and the row count, not the rows (rich-display.ts). apache-arrow's
// Table is not ours, so its prototype gets the display method here, under the registered symbol
// (no clash with apache-arrow's own names); the modules that make tables import this one.
import { Table } from 'apache-arrow';
import { defineDisplay, tableBundle } from '../core/rich-display';

if (!Object.prototype.hasOwnProperty.call(Table.prototype, Symbol.for('Jupyter.display'))) {
  defineDisplay(Table.prototype as Table, table =>
    tableBundle(
      table.schema.fields.map(f => ({ name: f.name, type: String(f.type) })),
      table.numRows
    )
  );
}
