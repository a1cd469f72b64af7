// jsdom has no Compression Streams API. Node's works with the Node fetch/Response that
// @jupyterlab/testing's environment installs, which is what the snapshot decoder uses.
const { DecompressionStream } = require('node:stream/web');

if (typeof globalThis.DecompressionStream === 'undefined') {
  globalThis.DecompressionStream = DecompressionStream;
}
