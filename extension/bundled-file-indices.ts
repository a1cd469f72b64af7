import { urlIndexLoader } from './index-loader';

/**
 * The file indexes shipped in the labextension (`data/catalog/file-indices/*_file_index.json`),
 * so that a record's bundled index expands to its data files offline. One literal `new URL` per
 * file: that is what makes rspack emit each one into `static/` (a computed path would not be).
 *
 * Kept in its own module: jest runs CommonJS, where `import.meta` is a syntax error.
 */
const INDEX_URLS: Record<string, URL> = {
  'CMS_MonteCarlo2010_Summer12_MinBias_TuneZ2star_7TeV_pythia6_AODSIM_LowPU2010_DR42-PU_S0_START42_V17C-v1_0000_file_index.json':
    new URL(
      '../data/catalog/file-indices/CMS_MonteCarlo2010_Summer12_MinBias_TuneZ2star_7TeV_pythia6_AODSIM_LowPU2010_DR42-PU_S0_START42_V17C-v1_0000_file_index.json',
      import.meta.url
    ),
  'CMS_Run2010A_JetMETTau_AOD_Apr21ReReco-v1_0013_file_index.json': new URL(
    '../data/catalog/file-indices/CMS_Run2010A_JetMETTau_AOD_Apr21ReReco-v1_0013_file_index.json',
    import.meta.url
  ),
  'CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000_file_index.json': new URL(
    '../data/catalog/file-indices/CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000_file_index.json',
    import.meta.url
  ),
  'CMS_Run2015D_SingleElectron_MINIAOD_08Jun2016-v1_70001_file_index.json': new URL(
    '../data/catalog/file-indices/CMS_Run2015D_SingleElectron_MINIAOD_08Jun2016-v1_70001_file_index.json',
    import.meta.url
  ),
  'CMS_Run2016G_MuOnia_NANOAOD_UL2016_MiniAODv2_NanoAODv9-v1_270000_file_index.json': new URL(
    '../data/catalog/file-indices/CMS_Run2016G_MuOnia_NANOAOD_UL2016_MiniAODv2_NanoAODv9-v1_270000_file_index.json',
    import.meta.url
  )
};

export const bundledIndexLoader = urlIndexLoader(INDEX_URLS);
