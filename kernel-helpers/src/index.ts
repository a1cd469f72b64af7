// Node entry of the helpers, imported by tslab notebooks: the browser-safe core plus the parts
// that need Node (files, the kernel's display). Keep public types lean: tslab type-checks them
// in every notebook with TypeScript 5.0.
export * from './core';
export * from './node/data-dir';
export * from './node/catalog-file';
export * from './node/csv';
export * from './node/arrow-ipc';
export * from './node/table-file';
export * from './node/read-table';
export * from './node/hepdata-file';
export * from './node/hepdata-write';
export * from './node/columns';
export * from './node/display';
export * from './node/show';
export * from './node/explore';
export * from './node/catalog';
export * from './node/http';
export * from './node/file-checksum';
export * from './node/progress';
export * from './node/download';
export * from './node/file-byte-source';
export * from './node/http-range';
export * from './node/files';
export * from './node/inspire';
export * from './node/root';
export * from './node/dataset-run';
export * from './node/dataset-progress';
