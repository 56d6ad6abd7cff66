import { describe, expect, it } from 'vitest';
import { parseGraphQuery } from '@/lib/api/params';
import { parseReportArgs, REPORT_USAGE } from './report-format';

describe('report --clusters', () => {
  it('passes clusters to the same query parsing as the API', () => {
    const a = parseReportArgs(['--clusters', 'east,Kubernetes', '--range=1h']);
    expect(parseGraphQuery(a.params, 1_795_300_000).clusters).toEqual(['Kubernetes', 'east']);
    expect(REPORT_USAGE).toContain('--clusters');
    expect(() => parseGraphQuery(parseReportArgs(['--clusters=bad/name']).params, 1_795_300_000)).toThrow(/clusters|cluster name/);
  });
});
