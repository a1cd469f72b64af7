// One progress line redrawn in place, shared by download and dataset-run progress (not public).

/** Draws one progress line; `final` is the last call (a terminal then ends the line). */
export type LineDraw = (line: string, final: boolean) => void;

/**
 * Redraws at most every `intervalMs`, and always the final line. The line is made only when it
 * is drawn: progress events come per received chunk, far more often than a redraw.
 */
export function throttledLine(
  draw: LineDraw,
  intervalMs: number
): (final: boolean, line: () => string) => void {
  let last = 0;
  return (final, line) => {
    const now = Date.now();
    if (!final && now - last < intervalMs) return;
    last = now;
    draw(line(), final);
  };
}

/** A line redrawn in place on a terminal stream. */
export function terminalLine(stream: NodeJS.WriteStream): LineDraw {
  return (line, final) => stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
}
