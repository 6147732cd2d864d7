import type { Template } from 'aws-cdk-lib/assertions';

/**
 * A CloudWatch metric as CloudWatch identifies it: namespace, name and every dimension with its
 * value, e.g. `GpuBatchInference ItemsRejected Reason=test-event,service=batcher`. Two metrics
 * differing in any part are different metrics.
 */
export type MetricId = string;

function metricId(namespace: string, name: string, dimensions: Record<string, unknown>): MetricId {
  const dims = Object.entries(dimensions)
    .map(([key, value]) => `${key}=${String(value)}`)
    .sort()
    .join(',');
  return `${namespace} ${name} ${dims}`;
}

interface EmfBlob {
  readonly _aws?: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** Every metric the EMF lines among `lines` publish: one per metric and dimension set. */
export function emfMetricIds(lines: readonly string[]): Set<MetricId> {
  const ids = new Set<MetricId>();
  for (const line of lines) {
    const blob = JSON.parse(line) as EmfBlob;
    for (const directive of blob._aws?.CloudWatchMetrics ?? []) {
      for (const dimensionSet of directive.Dimensions) {
        const dimensions = Object.fromEntries(dimensionSet.map((name) => [name, blob[name]]));
        for (const { Name } of directive.Metrics) {
          ids.add(metricId(directive.Namespace, Name, dimensions));
        }
      }
    }
  }
  return ids;
}

/**
 * The body of the template's one dashboard, its tokens (queue names, the region) replaced by
 * a placeholder, which they are only in string values.
 */
function dashboardBody(template: Template): { widgets: { properties: { metrics?: unknown } }[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as { widgets: { properties: { metrics?: unknown } }[] };
}

/**
 * Every metric the template's dashboard graphs, read from its widgets' rows
 * `[namespace, name, dimension, value, ..., options]`.
 */
export function dashboardMetricIds(template: Template): Set<MetricId> {
  const ids = new Set<MetricId>();
  for (const widget of dashboardBody(template).widgets) {
    for (const row of (widget.properties.metrics ?? []) as unknown[][]) {
      const [namespace, name, ...dims] = row.filter((part) => typeof part === 'string');
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i]] = dims[i + 1];
      ids.add(metricId(namespace, name, dimensions));
    }
  }
  return ids;
}
