// The part of the Plotly API the renderer uses. The dist bundle ships no types, and @types/plotly.js
// describes the full build; this keeps the surface small and honest.
declare module 'plotly.js-cartesian-dist-min' {
  export function react(
    root: HTMLElement,
    data: unknown[],
    layout?: object,
    config?: object
  ): Promise<HTMLElement>;
  export function purge(root: HTMLElement): void;
  export function relayout(root: HTMLElement, update: object): Promise<HTMLElement>;
  export function restyle(
    root: HTMLElement,
    update: object,
    traces?: number[]
  ): Promise<HTMLElement>;
  export const Plots: { resize(root: HTMLElement): Promise<void> };
}
