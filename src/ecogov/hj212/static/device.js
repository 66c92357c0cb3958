// Each factor's hourly means against its hourly permit limit (dashed line), like EPA ECHO
// effluent charts: values flagged other than N drawn apart, exceedance events shaded.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  const text = JSON.parse(document.getElementById("hourly-chart-text").textContent);
  const limitColour = "#c0392b";
  const flaggedColour = "#e67e22";
  const charts = [];
  function roundUp(value) {
    const step = Math.pow(10, Math.floor(Math.log10(value))) / 2;
    return Math.ceil(value / step) * step;
  }
  // Every chart-data script on the page is one chart set (the device page
  // has one; the portal's disclosure page one per outlet, its ids prefixed by data-prefix).
  function draw(data, prefix) {
    data.factors.forEach((factor) => {
      const element = document.getElementById(prefix + factor.code);
      if (!element) { return; }
      const chart = echarts.init(element);
      const flagged = factor.points.filter((p) => p[1] !== null && p[2] && p[2] !== "N");
      const limit = factor.limit;
      chart.setOption({
        tooltip: {
          trigger: "axis",
          formatter: (items) => items.filter((item) => item.seriesIndex === 0).map((item) => {
            // Escaped: flags come from the device's packets, units from the permit (typed in).
            const point = factor.points[item.dataIndex];
            const flag = point[2] ? "（" + text.flag + " " + point[2] + "）" : "";
            return ecogovEscape(point[0].slice(0, 16).replace("T", " ")) + "<br>" +
              ecogovEscape(factor.code + ": " + (point[1] === null ? "—" : point[1] + " " + factor.unit) + flag);
          }).join(""),
        },
        legend: { data: [text.value, text.flagged], top: 0, right: 0 },
        grid: { left: 56, right: 24, top: 36, bottom: 32 },
        xAxis: { type: "time", min: data.since, max: data.until },
        yAxis: {
          // The axis reaches above the limit line when all values are below it.
          type: "value", scale: true, name: factor.unit,
          max: (v) => (limit !== null && limit >= v.max ? roundUp(limit * 1.15) : null),
        },
        series: [
          {
            type: "line", name: text.value, showSymbol: false, connectNulls: false,
            data: factor.points.map((p) => [p[0], p[1]]),
            markLine: limit === null ? undefined : {
              symbol: "none", silent: true,
              lineStyle: { color: limitColour, type: "dashed" },
              label: { formatter: text.limit + " " + limit, color: limitColour, position: "insideEndTop" },
              data: [{ yAxis: limit, name: text.limit }],
            },
            markArea: {
              silent: true, itemStyle: { color: "rgba(192, 57, 43, 0.12)" }, label: { show: false },
              data: factor.exceedances.map((e) => [{ xAxis: e[0], name: text.exceedance }, { xAxis: e[1] }]),
            },
          },
          {
            type: "scatter", name: text.flagged, symbol: "diamond", symbolSize: 9,
            itemStyle: { color: flaggedColour },
            label: { show: true, position: "top", formatter: (item) => item.data.flag },
            data: flagged.map((p) => ({ value: [p[0], p[1]], flag: p[2] })),
          },
        ],
      });
      charts.push(chart);
    });
  }
  document.querySelectorAll("#hourly-chart-data, script.hourly-chart-data").forEach((block) => {
    const data = JSON.parse(block.textContent);
    if (data) { draw(data, block.dataset.prefix || "chart-"); }
  });
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  document.body.dataset.chartsReady = "1";
}());
