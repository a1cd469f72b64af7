// The helpers' core formats numbers and sizes for the CLI and the extension alike.
export { formatBytes, formatCompact, formatNumber } from '@opendata-lab/kernel-helpers/core';
