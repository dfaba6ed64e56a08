/**
 * The accessibility check of the Chromium journeys: axe-core injected into the page
 * through playwright-core, reporting the violations that matter (serious and critical).
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One serious or critical violation, in a line a test failure can show. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** Runs axe-core on the page as it is (a dialog open included) and returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const result = await page.evaluate(
    () =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        resultTypes: ['violations'],
      }) as Promise<AxeResult>,
  );
  return (result as AxeResult).violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact!,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
}

/** The findings as readable lines for an assertion message. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((finding) => `${finding.impact} ${finding.rule} (${finding.help}): ${finding.targets.join(', ')}`)
    .join('\n');
}
