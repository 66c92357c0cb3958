// Each item's values against its GB 3838-2002 class limits, and the monthly class history.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  const page = JSON.parse(document.getElementById("section-data").textContent);
  const series = page.series;
  const limits = page.limits;
  const colours = page.colours;
  const labels = ["I", "II", "III", "IV", "V"];
  const history = page.history;
  const months = page.months;
  const valueChart = echarts.init(document.getElementById("series-chart"));
  const select = document.getElementById("parameter-select");
  function limitLines(code) {
    const bounds = limits[code];
    if (!bounds) { return []; }
    const lines = [];
    for (const side of ["upper", "lower"]) {
      (bounds[side] || []).forEach((value, k) => {
        if (value !== null && (k === 4 || value !== bounds[side][k + 1])) {
          lines.push({ yAxis: value, name: labels[k], lineStyle: { color: colours[labels[k]], type: "dashed" },
                       label: { formatter: labels[k] + " " + value, color: colours[labels[k]] } });
        }
      });
    }
    return lines;
  }
  function draw(code) {
    const points = series[code] || [];
    const lines = limitLines(code).map((line) => line.yAxis);
    // The axis reaches the limit lines, so that every class boundary stays in view.
    valueChart.setOption({
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: points.map((p) => p[0]) },
      yAxis: { type: "value", scale: true,
               min: (v) => Math.min(v.min, ...lines), max: (v) => Math.max(v.max, ...lines) },
      series: [{ type: "line", name: select.options[select.selectedIndex].text, data: points.map((p) => p[1]),
                 markLine: { symbol: "none", silent: true, data: limitLines(code) } }],
    }, true);
  }
  if (select.options.length) {
    if (select.selectedIndex < 0) { select.selectedIndex = 0; }
    select.addEventListener("change", () => draw(select.value));
    draw(select.value);
  }
  const historyChart = echarts.init(document.getElementById("history-chart"));
  const classes = [...labels, "劣V"];
  historyChart.setOption({
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months.map((m) => m.slice(0, 7)) },
    yAxis: { type: "category", data: classes, inverse: true },
    series: [{ type: "scatter", symbolSize: 12, data: history.map((c, i) => ({
      value: [i, c], itemStyle: { color: colours[c] || "#9aa5b1" } })) }],
  });
  window.addEventListener("resize", () => { valueChart.resize(); historyChart.resize(); });
}());
