// The extension's ambient declarations, for `tsc -p test` (tsc -b picks them up from extension/).
/* eslint-disable @typescript-eslint/triple-slash-reference -- ambient declarations are not modules */
/// <reference path="../../extension/plotly.d.ts" />
/// <reference path="../../extension/svg.d.ts" />
