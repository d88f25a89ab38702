import { describe, expect, it } from 'vitest';
import {
  ALL,
  applyConditionalAll,
  expandBackendMacros,
  expandQuery,
  replaceVariables,
  type QueryContext,
  type TemplateVariable,
} from './support/grafana-sql.js';

/**
 * The expander the dashboard tests rely on, held to the ClickHouse plugin's documented expansions
 * (pkg/macros/macros.go and its tests, CHDatasource.applyConditionalAll) and Grafana's formats.
 */

const from = new Date(1415792726123);
const to = new Date(1447328726456);
const ctx = (variables: TemplateVariable[] = [], intervalMs = 60_000): QueryContext => ({
  from,
  to,
  intervalMs,
  variables,
});

describe('backend macros', () => {
  it.each([
    [
      'select * from foo where $__timeFilter(cast(sth as timestamp) )',
      'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)',
    ],
    [
      'select * from foo where $__timeFilter_ms(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= fromUnixTimestamp64Milli(1415792726123) AND cast(sth as timestamp) <= fromUnixTimestamp64Milli(1447328726456)',
    ],
    [
      'select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100',
      'select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100',
    ],
    [
      'select * from foo where ( date >= $__fromTime_ms ) and ( date <= $__toTime_ms ) limit 100',
      'select * from foo where ( date >= fromUnixTimestamp64Milli(1415792726123) ) and ( date <= fromUnixTimestamp64Milli(1447328726456) ) limit 100',
    ],
    [
      'SELECT $__timeInterval($__fromTime) AS from_time',
      'SELECT toStartOfInterval(toDateTime(toDateTime(1415792726)), INTERVAL 60 second) AS from_time',
    ],
    [
      'SELECT $__timeInterval_ms($__fromTime_ms)',
      'SELECT toStartOfInterval(toDateTime64(fromUnixTimestamp64Milli(1415792726123), 3), INTERVAL 60000 millisecond)',
    ],
    [
      'select * from foo where $__timeFilter(coalesce(closed_at, $__toTime))',
      'select * from foo where coalesce(closed_at, toDateTime(1447328726)) >= toDateTime(1415792726) AND coalesce(closed_at, toDateTime(1447328726)) <= toDateTime(1447328726)',
    ],
    ['WHERE $__dateFilter(d)', "WHERE d >= toDate('2014-11-12') AND d <= toDate('2015-11-12')"],
    [
      'WHERE $__dt(d, t)',
      "WHERE (d >= toDate('2014-11-12') AND d <= toDate('2015-11-12')) AND (t >= toDateTime(1415792726) AND t <= toDateTime(1447328726))",
    ],
    ['INTERVAL $__interval_s second', 'INTERVAL 60 second'],
  ])('%s', (input, output) => {
    expect(expandBackendMacros(input, ctx())).toBe(output);
  });

  it('keeps the interval at one second or more, and leaves unknown macros alone', () => {
    expect(expandBackendMacros('$__interval_s $__timeInterval(t)', ctx([], 200))).toBe(
      '1 toStartOfInterval(toDateTime(t), INTERVAL 1 second)',
    );
    expect(expandBackendMacros('$__interval $__table $__timeGroupAlias(t)', ctx())).toBe(
      '$__interval $__table $__timeGroupAlias(t)',
    );
  });

  it('rejects a wrong number of arguments, as the plugin does', () => {
    expect(() => expandBackendMacros('$__timeFilter(a, b)', ctx())).toThrow(/expected 1 argument/);
  });
});

describe('$__conditionalAll and template variables', () => {
  const service = (current: string | string[]): TemplateVariable => ({
    name: 'service',
    current,
    options: ['a', "o'b"],
  });
  const sql = 'WHERE $__conditionalAll(ServiceName IN (${service:singlequote}), $service) AND x = 1';

  it('drops the condition for All and for an empty value', () => {
    expect(applyConditionalAll(sql, [service([ALL])])).toBe('WHERE 1=1 AND x = 1');
    expect(applyConditionalAll(sql, [service('')])).toBe('WHERE 1=1 AND x = 1');
  });

  it('keeps it for selected values, then quotes them as Grafana does', () => {
    expect(expandQuery(sql, ctx([service(['a', "o'b"])]))).toBe("WHERE ServiceName IN ('a','o\\'b') AND x = 1");
    expect(expandQuery(sql, ctx([service('a')]))).toBe("WHERE ServiceName IN ('a') AND x = 1");
  });

  it('expands nested and repeated calls from the last one', () => {
    const two = '$__conditionalAll(a IN (${service:singlequote}), $service) OR $__conditionalAll(b = 1, ${other})';
    const vars = [service(['a']), { name: 'other', current: [ALL] }];
    expect(applyConditionalAll(two, vars)).toBe('a IN (${service:singlequote}) OR 1=1');
  });

  it('formats variables without a format the way the ClickHouse data source does', () => {
    expect(replaceVariables('IN ($service)', [service(['a', 'b'])])).toBe("IN ('a','b')");
    expect(replaceVariables('= $service', [service('a')])).toBe('= a');
    expect(replaceVariables('= [[service]] ${service}', [service('a')])).toBe('= a a');
  });

  it('uses the custom all value, or every option, for All', () => {
    expect(replaceVariables('${service:singlequote}', [{ ...service([ALL]), allValue: '.*' }])).toBe('.*');
    expect(replaceVariables('${service:singlequote}', [service([ALL])])).toBe("'a','o\\'b'");
  });

  it('leaves unknown variables and Grafana built-ins untouched', () => {
    expect(replaceVariables('$nope ${__value.raw} $__timeFilter(t)', [service('a')])).toBe(
      '$nope ${__value.raw} $__timeFilter(t)',
    );
  });
});
