/** Translation domain of the extension: its Python package name, as language packs use. */
export const TRANSLATION_DOMAIN = 'opendata_lab';
