// A station's hourly series, calendar of daily AQI and days per level (data: #station-data).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  const page = JSON.parse(document.getElementById("station-data").textContent);
  const series = page.series;
  const calendar = page.calendar;
  const year = page.year;
  const line = echarts.init(document.getElementById("series-chart"));
  line.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 50, right: 50, top: 40, bottom: 60 },
    dataZoom: [{ type: "inside" }, { type: "slider" }],
    xAxis: { type: "category", data: series.time },
    yAxis: [{ type: "value", name: "µg/m³" }, { type: "value", name: "AQI" }],
    series: [
      ...Object.entries(series.pollutants).filter(([p]) => p !== "CO").map(([p, values]) => ({ name: p, type: "line", showSymbol: false, data: values })),
      { name: "AQI", type: "line", yAxisIndex: 1, showSymbol: false, lineStyle: { width: 2, color: "#333" }, data: series.aqi },
    ],
  });
  // AQI levels and colours of the HJ 633 edition of the year, from Python (never re-typed here).
  const legend = page.aqi_legend;
  const cal = echarts.init(document.getElementById("calendar-chart"));
  cal.setOption({
    tooltip: { formatter: (p) => ecogovEscape(p.value[0] + "：AQI " + p.value[1]) },
    visualMap: { type: "piecewise", orient: "horizontal", left: "center", bottom: 0,
                 pieces: legend.items.map((item) => ({ min: item.lower, max: item.upper === null ? 500 : item.upper,
                                                      color: item.colour, label: item.label })) },
    calendar: { range: String(year), cellSize: ["auto", 14], top: 30, left: 40, right: 10, dayLabel: { nameMap: "ZH" }, monthLabel: { nameMap: "ZH" } },
    series: [{ type: "heatmap", coordinateSystem: "calendar", data: calendar.days }],
  });
  const pie = echarts.init(document.getElementById("levels-chart"));
  pie.setOption({
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["40%", "70%"], data: calendar.levels.map((l) => ({ name: l.category, value: l.days, itemStyle: { color: l.colour } })) }],
  });
  document.body.dataset.chartsReady = "1";
  window.addEventListener("resize", () => { line.resize(); cal.resize(); pie.resize(); });
}());
