// Reads one stored object with the helpers' ROOT reader (the compiled dist/, outside jest, whose
// module system cannot load jsroot's ES modules) and prints it as JSON, or the error it gave:
// {"object": {...}} or {"error": {"code", "message"}} (an untyped error as code null).
//
// usage: node root-raw-object.cjs FILE KEY
'use strict';
const path = require('node:path');
const helpers = require(path.join(__dirname, '..', '..', 'kernel-helpers', 'dist', 'index.js'));

async function main(file, key) {
  const root = await helpers.openROOT(file);
  try {
    return { object: await root.rawObject(key) };
  } catch (err) {
    return {
      error: {
        code: err instanceof helpers.OpenDataError ? err.code : null,
        message: String(err.message)
      }
    };
  } finally {
    await root.close();
  }
}

main(process.argv[2], process.argv[3]).then(
  r => console.log(JSON.stringify(r)),
  err => {
    console.error(err);
    process.exit(1);
  }
);
