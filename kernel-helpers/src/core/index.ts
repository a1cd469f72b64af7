// Browser-safe core of the helpers: no Node built-ins here. The JupyterLab extension imports this
// module (`@opendata-lab/kernel-helpers/core`), so each piece has one implementation.
export * from './errors';
export * from './catalog-index';
export * from './byte-source';
export * from './catalog-search';
export * from './histogram';
export * from './plotly';
export * from './figure-svg';
export * from './figure-bundle';
export * from './histogram-summary';
export * from './physics';
export * from './hepdata';
export * from './hepdata-compare';
export * from './hepdata-export';
export * from './catalog-build';
export * from './catalog-source';
export * from './portal-catalog';
export * from './record-shape';
export * from './checksum';
export * from './record-files';
export * from './citation';
export * from './inspire';
export * from './availability';
export * from './loader-code';
export * from './format';
export * from './tex-text';
