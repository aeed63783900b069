/**
 * A small ECharts wrapper: inits a chart on a div, sets the options on every change, follows the div's
 * size and disposes of the chart on unmount. ECharts (only the pieces the app uses) loads on first use.
 */
import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption, ECharts } from 'echarts/core';

export type ChartOption = EChartsCoreOption;

export function EChart({
  option,
  height,
  testId,
  label,
  onClick,
}: {
  option: ChartOption;
  height: number;
  testId?: string;
  label?: string;
  /** called with the clicked item's data index */
  onClick?: (dataIndex: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [ready, setReady] = useState(false);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let disposed = false;
    let cleanup = () => {};
    void import('./chartsLib').then(({ echarts }) => {
      if (disposed) return;
      const instance = echarts.init(el, undefined, { renderer: 'canvas' });
      chart.current = instance;
      instance.on('click', (params) => {
        const p = params as { dataIndex?: number };
        if (typeof p.dataIndex === 'number') clickRef.current?.(p.dataIndex);
      });
      const observer = new ResizeObserver(() => instance.resize());
      observer.observe(el);
      // printing: draw at the paper's width
      const beforePrint = () => instance.resize();
      window.addEventListener('beforeprint', beforePrint);
      cleanup = () => {
        observer.disconnect();
        window.removeEventListener('beforeprint', beforePrint);
        instance.dispose();
      };
      setReady(true);
    });
    return () => {
      disposed = true;
      cleanup();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, { notMerge: true });
  }, [option, ready]);

  useEffect(() => {
    chart.current?.resize();
  }, [height]);

  return <div ref={ref} className="echart" style={{ height }} data-testid={testId} role="img" aria-label={label} />;
}
