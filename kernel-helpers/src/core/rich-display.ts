// How a notebook shows the helpers' own values when a cell ends with one: the display protocol
// both TypeScript kernels know, a [Symbol.for('Jupyter.display')]() method that returns a mime
// bundle (Deno's protocol; the project's patched tslab asks for it too). The bundles are small:
// a table's head, not its rows. Everything from data or metadata is escaped. No imports: errors.ts
// and histogram.ts use it.

/** The key of the display method (a registered symbol: the same in every copy of the helpers). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display');

/** Mime type → representation of one output (the front end picks the richest it can render). */
export type DisplayBundle = Record<string, unknown>;

/** Gives `target` (a prototype or one object) a display method, not enumerable: JSON and
 *  Object.keys do not see it. */
export function defineDisplay<T extends object>(target: T, bundle: (value: T) => DisplayBundle): T {
  Object.defineProperty(target, JUPYTER_DISPLAY, {
    value(this: T): DisplayBundle {
      return bundle(this);
    },
    enumerable: false,
    writable: true,
    configurable: true
  });
  return target;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => HTML_ESCAPES[c]);
}

/** A column of a table as the display shows it. */
export interface DisplayColumn {
  name: string;
  type: string;
}

/** A table's head: its columns with their types, and how many rows it has. */
export function tableBundle(columns: DisplayColumn[], rows: number): DisplayBundle {
  const counts = `${rows.toLocaleString('en')} rows × ${columns.length} columns`;
  const head = columns.map(c => `<th>${escapeHtml(c.name)}</th>`).join('');
  const types = columns.map(c => `<td><code>${escapeHtml(c.type)}</code></td>`).join('');
  return {
    'text/html':
      // The counts above the table, not in a <caption>: JupyterLab's output styles hide captions.
      `<div class="opendata-table-head"><div>Table: ${counts}</div>` +
      `<table><thead><tr>${head}</tr></thead><tbody><tr>${types}</tr></tbody></table></div>`,
    'text/plain': `Table: ${counts}\n` + columns.map(c => `  ${c.name}: ${c.type}`).join('\n')
  };
}

/** An error from the helpers as its message, with its code: what failed and where. */
export function errorBundle(error: { name: string; code: string; message: string }): DisplayBundle {
  const head = `${error.name} [${error.code}]`;
  return {
    'text/html': `<pre class="opendata-error"><strong>${escapeHtml(head)}</strong>: ${escapeHtml(error.message)}</pre>`,
    'text/plain': `${head}: ${error.message}`
  };
}
