// jsdom cannot run Plotly (no layout, no SVG measuring): the real drawing is checked in the
// Chromium UI tests. The extension's tests replace it with this stand-in, which records what the
// renderer asks of Plotly:
//   jest.mock('plotly.js-cartesian-dist-min', () => jest.requireActual('./plotly-stand-in').plotly());
import { PLOTLY_MIME } from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** A fresh stand-in for the Plotly bundle: every call recorded, every promise resolved. */
export function plotly() {
  return {
    react: jest.fn(() => Promise.resolve()),
    relayout: jest.fn(() => Promise.resolve()),
    restyle: jest.fn(() => Promise.resolve()),
    purge: jest.fn(),
    Plots: { resize: jest.fn(() => Promise.resolve()) }
  };
}

/** What JupyterLab passes a Plotly renderer factory (no sanitizing: the tests' own figures). */
export const plotlyRendererOptions: IRenderMime.IRendererOptions = {
  mimeType: PLOTLY_MIME,
  sanitizer: { sanitize: (html: string) => html },
  resolver: null,
  linkHandler: null,
  latexTypesetter: null
};
