// The HTML report rendered by a real browser: headless Chromium (Debian's `chromium` package, /usr/bin/chromium)
// driven by `playwright-core`. Both are optional on a developer machine; CI installs them (.ci/run). Without
// them this test is skipped, and says what is missing.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../shared/sim/report/html.js';
import { summarize } from '../../../shared/sim/report/summary.js';
import { runScenario } from '../../../shared/sim/runner/run.js';
import { loadScenario } from '../../../shared/sim/scenario/load.js';

const CHROMIUM = '/usr/bin/chromium';
const SHORT = fileURLToPath(new URL('./fixtures/short.yaml', import.meta.url));

function missing(): string | undefined {
  const lacks: string[] = [];
  if (!existsSync(CHROMIUM)) lacks.push(`${CHROMIUM} (apt-get install chromium)`);
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    lacks.push('the playwright-core package (a devDependency)');
  }
  return lacks.length === 0 ? undefined : lacks.join(' and ');
}

const lacking = missing();
if (lacking) console.warn(`report render test skipped: it needs ${lacking}`);

interface Browser {
  newPage(): Promise<{
    goto(url: string): Promise<unknown>;
    evaluate<T>(expression: string): Promise<T>;
  }>;
  close(): Promise<void>;
}

interface Seen {
  charts: { id: string; width: number; height: number; paths: number[] }[];
  summaryRows: number;
  decisions: number;
}

describe('simulation report in headless Chromium', () => {
  it.skipIf(lacking !== undefined)(
    'renders the summary, three charts with their series and the decision log',
    async () => {
      const run = await runScenario(loadScenario(SHORT));
      const html = renderReport({
        summary: summarize(run),
        samples: run.recorder.samples,
        decisions: run.recorder.decisions,
      });
      const file = join(mkdtempSync(join(tmpdir(), 'fleetwright-report-')), 'report.html');
      writeFileSync(file, html);
      // A computed name keeps the compiler from requiring the optional package's types.
      const name = 'playwright-core';
      const { chromium } = (await import(name)) as { chromium: { launch(o: object): Promise<Browser> } };
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(file).href);
        // Evaluated in the page; a string, since this project compiles without the DOM's types.
        const seen = await page.evaluate<Seen>(`({
        charts: [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const paths = [...svg.querySelectorAll('path.series')].map((p) => p.getTotalLength());
          return { id: svg.id, width: box.width, height: box.height, paths };
        }),
        summaryRows: document.querySelectorAll('#summary tr').length,
        decisions: document.querySelectorAll('#decision-log tr').length,
      })`);
        expect(seen.charts.map((c) => c.id)).toEqual(['chart-capacity', 'chart-cost', 'chart-utilization']);
        for (const chart of seen.charts) {
          expect(chart.width).toBeGreaterThan(300);
          expect(chart.height).toBeGreaterThan(80);
          expect(chart.paths.length).toBeGreaterThan(0);
          for (const length of chart.paths) expect(length).toBeGreaterThan(10);
        }
        expect(seen.summaryRows).toBeGreaterThan(10);
        expect(seen.decisions).toBeGreaterThan(2);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
