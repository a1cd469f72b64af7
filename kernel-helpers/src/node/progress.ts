// Download progress: one summary line for all files of a batch, redrawn in place — on a terminal
// as a bar on stderr, in a notebook (tslab or Deno) as one display output that updates.
import { kernelTextDisplay } from './display';
import { LineDraw, terminalLine, throttledLine } from './progress-line';
import { formatBytes } from '../core/format';

/** What a download reports, per file, as bytes arrive and when it ends. */
export interface DownloadProgress {
  /** The destination path. */
  file: string;
  url: string;
  received: number;
  /** Expected bytes, when the record or the server says. */
  total: number | null;
  done: boolean;
  /** Set when the file failed for good. */
  error?: string;
  /** Set while waiting before a retry. */
  retry?: { attempt: number; delayMs: number; reason: string };
}

export type ProgressListener = (progress: DownloadProgress) => void;

/** Folds per-file events into one line: `2/5 files  12.0 MB of 40.0 MB [====      ] 30%`. */
export class ProgressSummary {
  private readonly _files = new Map<string, DownloadProgress>();

  update(p: DownloadProgress): void {
    this._files.set(p.file, p);
  }

  get finished(): boolean {
    return [...this._files.values()].every(f => f.done);
  }

  line(width = 24): string {
    const files = [...this._files.values()];
    const done = files.filter(f => f.done && !f.error).length;
    const failed = files.filter(f => f.error).length;
    const received = files.reduce((s, f) => s + f.received, 0);
    const known = files.every(f => f.total != null);
    const total = files.reduce((s, f) => s + (f.total ?? f.received), 0);
    let text = `${done}/${files.length} files  ${formatBytes(received, 1)}`;
    if (known && total > 0) {
      const fraction = Math.min(1, received / total);
      const filled = Math.round(fraction * width);
      text +=
        ` of ${formatBytes(total, 1)} [${'='.repeat(filled)}${' '.repeat(width - filled)}]` +
        ` ${Math.floor(fraction * 100)}%`;
    }
    if (failed > 0) text += `  ${failed} failed`;
    const retrying = files.find(f => f.retry && !f.done);
    if (retrying?.retry) {
      text += `  (retry ${retrying.retry.attempt} in ${retrying.retry.delayMs} ms: ${retrying.retry.reason})`;
    }
    return text;
  }
}

function throttled(draw: LineDraw, intervalMs: number): ProgressListener {
  const summary = new ProgressSummary();
  const redraw = throttledLine(draw, intervalMs);
  return p => {
    summary.update(p);
    redraw(summary.finished, () => summary.line());
  };
}

/** A one-line bar on a terminal stream (stderr), ended with a newline when all files are done. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener {
  return throttled(terminalLine(stream), 100);
}

/** Progress in a notebook: one display output whose text is replaced as the download goes. */
export function notebookProgress(display: { text(s: string): void }): ProgressListener {
  return throttled(line => display.text(line), 250);
}

/** The display that fits where we run: a kernel (tslab, Deno), a terminal, or none (pipes, CI). */
export function defaultProgress(): ProgressListener | undefined {
  const display = kernelTextDisplay();
  if (display) return notebookProgress(display);
  if (process.stderr.isTTY) return terminalProgress(process.stderr);
  return undefined;
}
