// Progress of a dataset run, one line redrawn in place: files done, events, MB/s, ETA — on a
// terminal on stderr, in a notebook (tslab or Deno) as one display that updates (as download
// progress does).
import { formatBytes, formatCompact } from '../core/format';
import { fileName } from '../core/record-files';
import type { DatasetProgress } from './dataset-run';
import { kernelTextDisplay } from './display';
import { LineDraw, terminalLine, throttledLine } from './progress-line';

export type DatasetProgressListener = (p: DatasetProgress) => void;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** `12/40 files  1.2M events  35.2 MB/s  ETA 0:42  (1 failed)`. */
export function datasetProgressLine(p: DatasetProgress): string {
  const rate = p.seconds > 0 ? p.bytesDone / p.seconds : 0;
  let text = `${p.filesDone}/${p.files} files  ${formatCompact(p.entries)} events  ${formatBytes(rate, 1)}/s`;
  if (p.finished) {
    text += `  in ${clock(p.seconds)}`;
  } else {
    // By bytes when every size is known, else by files.
    const fraction =
      p.bytesTotal && p.bytesTotal > 0
        ? p.bytesDone / p.bytesTotal
        : p.files > 0
          ? p.filesDone / p.files
          : 0;
    if (fraction > 0 && p.seconds > 0.5) {
      text += `  ETA ${clock((p.seconds * (1 - fraction)) / fraction)}`;
    }
  }
  if (p.filesFailed > 0) text += `  ${p.filesFailed} failed`;
  if (p.retrying && !p.finished) {
    text += `  (again: ${fileName(p.retrying.file)}, attempt ${p.retrying.attempt + 1})`;
  }
  return text;
}

function throttled(draw: LineDraw, intervalMs: number): DatasetProgressListener {
  const redraw = throttledLine(draw, intervalMs);
  return p => redraw(p.finished, () => datasetProgressLine(p));
}

export function terminalDatasetProgress(
  stream: NodeJS.WriteStream = process.stderr
): DatasetProgressListener {
  return throttled(terminalLine(stream), 200);
}

export function notebookDatasetProgress(display: {
  text(s: string): void;
}): DatasetProgressListener {
  return throttled(line => display.text(line), 250);
}

/** A notebook display in a kernel (tslab or Deno), a line on a terminal's stderr, else none. */
export function defaultDatasetProgress(): DatasetProgressListener | null {
  const display = kernelTextDisplay();
  if (display) return notebookDatasetProgress(display);
  if (process.stderr.isTTY) return terminalDatasetProgress(process.stderr);
  return null;
}
