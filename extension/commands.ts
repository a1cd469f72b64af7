/** Command ids of the extension, `opendata:<verb-noun>`. */
// A namespace, as JupyterLab's packages keep their CommandIDs.
export namespace CommandIDs {
  export const showBrowser = 'opendata:show-browser';
  // Record commands without `recid` act on the row the context menu opened on (`origin:
  // 'context-menu'`), else the focused row of the panel, else the record tab in front.
  /** Args: `recid`. */
  export const openRecord = 'opendata:open-record';
  /** Args: `recid`, optional `file` (a URI of the record or a bundled sample's name). */
  export const insertLoader = 'opendata:insert-loader';
  /** Args: `recid`, optional `format` (text, bibtex, csl-json, ris), `target` (clipboard, markdown). */
  export const cite = 'opendata:cite-record';
  /** Args: optional `format`. */
  export const citeNotebook = 'opendata:cite-notebook';
  /** Args: `recid`. */
  export const openOnPortal = 'opendata:open-on-portal';
  /** The Binder link of the current notebook (binder-link.ts). */
  export const binderLink = 'opendata:binder-link';
}
