// ROOT files: jsroot for metadata and stored objects, this package's own basket decoding for columns.
export { openROOT, ROOTFile } from './file';
export type { ROOTKey, OpenROOTOptions } from './file';
export { ROOTTree } from './tree';
export type { ROOTBranchInfo, EntryRange, ChunkOptions } from './tree';
export { toHist1D } from './objects';
export type { StoredObject, StoredHist1D, StoredHist2D, StoredGraph } from './objects';
