// The progress line of a dataset run (issue 13): files done, events, MB/s and ETA from the bytes
// done (by files when some sizes are unknown), failures and retries; redrawn in one notebook display.
import {
  datasetProgressLine,
  notebookDatasetProgress
} from '../../kernel-helpers/src/node/dataset-progress';
import type { DatasetProgress } from '../../kernel-helpers/src/node/dataset-run';

const base: DatasetProgress = {
  files: 40,
  filesDone: 10,
  filesFailed: 0,
  entries: 1_250_000,
  bytesDone: 250e6,
  bytesTotal: 1000e6,
  seconds: 10,
  finished: false
};

test('files, events, MB/s and an ETA from the share of bytes done', () => {
  // 250 MB in 10 s: 25 MB/s; 750 MB left at that rate: 30 s
  expect(datasetProgressLine(base)).toBe('10/40 files  1.3M events  25.0 MB/s  ETA 0:30');
  // sizes unknown: by files (10 of 40 in 10 s → 30 s more)
  expect(datasetProgressLine({ ...base, bytesTotal: null, filesDone: 10, seconds: 10 })).toMatch(
    /ETA 0:30$/
  );
  expect(
    datasetProgressLine({
      ...base,
      filesFailed: 1,
      retrying: { file: 'https://x/eos/a/nano_03.root', attempt: 1, error: '500' }
    })
  ).toMatch(/ETA 0:30 {2}1 failed {2}\(again: nano_03\.root, attempt 2\)$/);
  expect(datasetProgressLine({ ...base, filesDone: 40, seconds: 3725, finished: true })).toMatch(
    /^40\/40 files .* in 1:02:05$/
  );
});

test('a notebook display is updated in place, at most every 250 ms, always at the end', () => {
  const shown: string[] = [];
  const progress = notebookDatasetProgress({ text: s => shown.push(s) });
  progress(base);
  progress({ ...base, filesDone: 11 }); // within 250 ms: skipped
  progress({ ...base, filesDone: 40, finished: true });
  expect(shown).toHaveLength(2);
  expect(shown[1]).toMatch(/^40\/40 files/);
});
