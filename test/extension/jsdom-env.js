// @jupyterlab/testing's jsdom environment, with jsdom loaded while `canvas` is hidden.
//
// jsdom uses the optional `canvas` package whenever it resolves. Here it resolves (jsroot depends on
// it) but has no native binary (its install script cannot run on this machine, see package.json
// "allowScripts"), so requiring it throws and jsdom fails to load. jsdom decides once, when it is
// first required, so hiding `canvas` during that require is enough; resolution is restored after.
const Module = require('module');
const path = require('path');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'canvas') {
    const error = new Error(
      "Cannot find module 'canvas' (hidden from jsdom by test/extension/jsdom-env.js)"
    );
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
try {
  // jest-environment-jsdom requires jsdom lazily, on first use: load it now, the copy it will use.
  const environmentDir = path.dirname(require.resolve('jest-environment-jsdom/package.json'));
  require(require.resolve('jsdom', { paths: [environmentDir] }));
  module.exports = require('@jupyterlab/testing/lib/jest-env.js');
} finally {
  Module._resolveFilename = resolveFilename;
}
