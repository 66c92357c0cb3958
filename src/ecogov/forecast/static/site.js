// A site's 72-hour forecast of one pollutant: the band (an area stacked from the lower end to
// the upper end), the forecast line and the observed hours since the issue (data: #forecast-data).
(function () {
  "use strict";
  const element = document.getElementById("forecast-chart");
  if (typeof echarts === "undefined" || !element) { return; }
  const page = JSON.parse(document.getElementById("forecast-data").textContent);
  const chart = echarts.init(element);
  const labels = page.labels;
  const times = page.times.map((t) => t.slice(5, 16).replace("T", " "));

  function draw(pollutant) {
    const s = page.series[pollutant];
    const width = s.upper.map((u, i) => (u === null || s.lower[i] === null ? null : u - s.lower[i]));
    chart.setOption({
      tooltip: { trigger: "axis", formatter: (items) => ecogovEscape(items[0].axisValue) + "<br>" + items
        .filter((it) => it.seriesId !== "band-base")
        .map((it) => ecogovEscape(it.seriesName + "：" + (it.seriesId === "band"
          ? s.lower[it.dataIndex] + "–" + s.upper[it.dataIndex] : (it.value === null ? "—" : it.value))))
        .join("<br>") },
      legend: { top: 0, data: [labels.value, labels.band, labels.observed] },
      grid: { left: 55, right: 20, top: 40, bottom: 60 },
      dataZoom: [{ type: "inside" }, { type: "slider" }],
      xAxis: { type: "category", data: times, boundaryGap: false },
      yAxis: { type: "value", name: pollutant === "CO" ? "mg/m³" : "µg/m³" },
      series: [
        { id: "band-base", name: "band-base", type: "line", data: s.lower, stack: "band", symbol: "none",
          lineStyle: { opacity: 0 }, silent: true },
        { id: "band", name: labels.band, type: "line", data: width, stack: "band", symbol: "none",
          lineStyle: { opacity: 0 }, areaStyle: { color: "#5470c6", opacity: 0.25 } },
        { id: "value", name: labels.value, type: "line", data: s.value, symbol: "none", lineStyle: { width: 2, color: "#5470c6" } },
        { id: "observed", name: labels.observed, type: "line", data: s.observed, symbolSize: 5, connectNulls: false,
          lineStyle: { width: 2, color: "#d7263d" }, itemStyle: { color: "#d7263d" } },
      ],
    }, true);
    element.dataset.pollutant = pollutant;
    element.dataset.series = chart.getOption().series.map((x) => x.id).join(" ");
  }

  const buttons = document.querySelectorAll("#pollutant-selector button");
  buttons.forEach((button) => button.addEventListener("click", () => {
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    draw(button.dataset.pollutant);
  }));
  draw(buttons[0].dataset.pollutant);
  document.body.dataset.chartsReady = "1";
  window.addEventListener("resize", () => chart.resize());
}());
