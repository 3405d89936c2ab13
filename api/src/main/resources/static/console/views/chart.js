// A small line chart drawn as SVG with DOM calls (no markup strings, no inline styles: the
// colours come from console.css through the series' class names).

import {el} from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 220;
const PAD = {left: 44, right: 10, top: 10, bottom: 26};
/** Horizontal grid lines, for reading values off the chart. */
const GRID_LINES = 4;

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * Draws samples [{at, key: number, ...}] (oldest first) into `figure`, one line per series
 * [{key, label, className}]. The y axis starts at 0 and ends at a round number above the maximum.
 */
export function lineChart(figure, title, samples, series) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const max = roundUp(Math.max(0, ...samples.flatMap((sample) => series.map((line) => Number(sample[line.key]) || 0))));
  const times = samples.map((sample) => new Date(sample.at).getTime());
  const first = times.length ? times[0] : 0;
  const span = times.length > 1 ? times[times.length - 1] - first : 1;
  const x = (index) => PAD.left + (times.length > 1 ? ((times[index] - first) / span) * plotWidth : plotWidth);
  const y = (value) => PAD.top + plotHeight - (value / max) * plotHeight;

  const root = svg('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title, class: 'chart-svg'});
  for (let i = 0; i <= GRID_LINES; i++) {
    const value = (max / GRID_LINES) * i;
    root.append(svg('line', {x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: 'grid'}));
    root.append(svg('text', {x: PAD.left - 6, y: y(value) + 4, class: 'axis', 'text-anchor': 'end'}, label(value)));
  }
  if (times.length) {
    root.append(svg('text', {x: PAD.left, y: HEIGHT - 6, class: 'axis'}, clock(times[0])));
    root.append(svg('text', {x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'axis', 'text-anchor': 'end'}, clock(times[times.length - 1])));
  } else {
    root.append(svg('text', {x: WIDTH / 2, y: HEIGHT / 2, class: 'axis', 'text-anchor': 'middle'}, 'No samples yet'));
  }
  for (const line of series) {
    const points = samples.map((sample, index) => `${x(index).toFixed(1)},${y(Number(sample[line.key]) || 0).toFixed(1)}`);
    const shape = points.length === 1
      ? svg('circle', {cx: x(0), cy: y(Number(samples[0][line.key]) || 0), r: 3, class: `point ${line.className}`})
      : svg('polyline', {points: points.join(' '), class: `line ${line.className}`, 'data-series': line.key});
    root.append(shape);
  }
  const legend = el('ul', {class: 'legend'}, series.map((line) => el('li', {class: line.className}, line.label)));
  figure.replaceChildren(el('figcaption', null, title), root, legend);
  figure.dataset.samples = String(samples.length);
}

/**
 * A ceiling that splits into GRID_LINES round steps: 0.3 -> 0.4 (steps of 0.1), 7 -> 8, 130 -> 200.
 */
function roundUp(value) {
  if (value <= 0) {
    return 1;
  }
  const rough = value / GRID_LINES;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= rough) {
      return step * magnitude * GRID_LINES;
    }
  }
  return 10 * magnitude * GRID_LINES;
}

function label(value) {
  return String(Number(value.toFixed(2)));
}

function clock(millis) {
  return new Date(millis).toISOString().slice(11, 19);
}
