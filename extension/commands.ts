/** Command ids of the extension, `opendata:<verb-noun>`. */
// A namespace, as JupyterLab's packages keep their CommandIDs.
export namespace CommandIDs {
  export const showBrowser = 'opendata:show-browser';
  /** Args: `recid`. Without it: the record row under the context menu. */
  export const openRecord = 'opendata:open-record';
  /** Args: `recid`, optional `file` (a URI of the record or a bundled sample's name). */
  export const insertLoader = 'opendata:insert-loader';
  /** Args: `recid`, optional `format` (text, bibtex, csl-json, ris), `target` (clipboard, markdown). */
  export const cite = 'opendata:cite-record';
  /** Args: optional `format`. */
  export const citeNotebook = 'opendata:cite-notebook';
  /** Args: `recid`. */
  export const openOnPortal = 'opendata:open-on-portal';
}
