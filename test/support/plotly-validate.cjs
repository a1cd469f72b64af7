// Plotly.validate (plotly.js's own schema, the build the extension renders with) on a figure read
// as JSON from stdin; prints the problems as JSON ([] when none). plotly.js needs a DOM to load:
// jsdom's, in this child process, so the calling test keeps its Node environment.
const fs = require('fs');
const { JSDOM } = require('jsdom');

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
const GLOBALS = ['document', 'navigator', 'location', 'DOMParser', 'XMLSerializer', 'HTMLElement'];
GLOBALS.push('SVGElement', 'Element', 'Node', 'getComputedStyle', 'requestAnimationFrame');
globalThis.window = dom.window;
globalThis.self = dom.window;
for (const key of GLOBALS) if (!(key in globalThis)) globalThis[key] = dom.window[key];
dom.window.URL.createObjectURL = () => '';
const Plotly = require('plotly.js-cartesian-dist-min');

const figure = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(Plotly.validate(figure.data, figure.layout) ?? []) + '\n');
