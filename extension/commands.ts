/** Command ids of the extension, `opendata:<verb-noun>`. */
// A namespace, as JupyterLab's packages keep their CommandIDs.
export namespace CommandIDs {
  export const showBrowser = 'opendata:show-browser';
}
