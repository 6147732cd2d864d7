import {
  ChartInputError,
  formatTick,
  renderLineChart,
} from '../../../scripts/report/svg-line-chart';

describe('renderLineChart', () => {
  it('draws one polyline and one legend entry per series', () => {
    // given two series
    const svg = renderLineChart({
      title: 'Rates',
      xLabel: 'batch',
      yLabel: 'img/s',
      series: [
        {
          name: 'ours',
          points: [
            { x: 1, y: 10 },
            { x: 8, y: 80 },
          ],
        },
        {
          name: 'peer',
          points: [
            { x: 1, y: 20 },
            { x: 8, y: 60 },
          ],
        },
      ],
    });
    // when the SVG is rendered
    // then both series are drawn and named
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('>ours<');
    expect(svg).toContain('>peer<');
  });

  it('escapes text so labels cannot break the markup', () => {
    // given a title with markup characters
    const svg = renderLineChart({
      title: 'a < b & c',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', points: [{ x: 1, y: 1 }] }],
    });
    // when rendered
    // then they are escaped
    expect(svg).toContain('a &lt; b &amp; c');
  });

  it('refuses a log axis with a non-positive value, naming the chart', () => {
    // given a zero on a log axis
    // when rendered
    // then the error names the chart
    expect(() =>
      renderLineChart({
        title: 'Costs',
        xLabel: 'x',
        yLabel: 'y',
        yLog: true,
        series: [{ name: 's', points: [{ x: 1, y: 0 }] }],
      }),
    ).toThrow(ChartInputError);
  });
});

describe('formatTick', () => {
  it('shortens thousands and millions', () => {
    // given large and small tick values
    // when formatted
    // then they are short
    expect([formatTick(1200), formatTick(3_000_000), formatTick(0.25)]).toEqual([
      '1.2k',
      '3M',
      '0.25',
    ]);
  });
});
