import { expect, test } from '@playwright/test';
import { GraphPage } from './pages/graph-page';

// The demo is one cluster ("Kubernetes"): no Clusters menu, namespace boxes keep their plain ids, and the
// clusters URL parameter still filters and is validated. Two clusters: e2e/multi-cluster/.

test('one cluster: no Clusters menu, plain namespace boxes; clusters= is applied and validated', async ({ page }) => {
  const graph = new GraphPage(page);
  // Polling on for the first load: on a reused demo state the last 15 min may only just be filling with live data.
  await graph.goto('range=15m');
  await graph.waitForGraph();
  await expect(page.getByTestId('namespace-menu')).toBeVisible();
  await expect(page.getByTestId('cluster-menu')).toHaveCount(0);
  await expect(page.getByTestId('legend-cross-cluster')).toHaveCount(0);
  expect(await page.evaluate(() => window.__meshglassCy!.getElementById('ns:shop').length)).toBe(1);

  await graph.goto('range=15m&refresh=off&clusters=Kubernetes');
  await graph.waitForGraph();
  await expect(page.getByTestId('breadcrumb-clusters')).toHaveText('· cluster Kubernetes');
  await expect(graph.urlError).toHaveCount(0);

  await graph.goto('range=15m&refresh=off&clusters=nowhere');
  await expect(page.getByTestId('graph-empty')).toBeVisible({ timeout: 60_000 });

  await graph.goto('range=15m&refresh=off&clusters=a%2Fb');
  await expect(graph.urlError).toContainText('clusters');
  await graph.waitForGraph();
});
